/** The protocol version. Clients send it in the `Totpkit-Protocol` request header. */
export const PROTOCOL_VERSION = 1;

/** The request header that carries the version and doubles as the CSRF defence. */
export const PROTOCOL_HEADER = 'Totpkit-Protocol';
