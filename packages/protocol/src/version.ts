/** The protocol version. Clients send it in the `Totpkit-Protocol` request header. */
export const PROTOCOL_VERSION = 1;

/**
 * The request header that carries the version. Being a non-safelisted header, it also forces a
 * CORS preflight on any cross-origin browser request, which is why it doubles as the CSRF
 * defence (OWASP CSRF Prevention Cheat Sheet, "custom request headers").
 */
export const PROTOCOL_HEADER = 'Totpkit-Protocol';

/** The only media type of request and response bodies. */
export const PROTOCOL_MEDIA_TYPE = 'application/json';
