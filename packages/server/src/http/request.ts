/**
 * What the protocol needs to know about a request, whatever carried it: a Fetch `Request` (the
 * Fetch handler) or node:http's `IncomingMessage` (the Node adapters). Each transport describes its
 * request this way and the protocol's rules (core.ts) read only this, so they exist once.
 */

/** A pull reader over the body's bytes; `ReadableStreamDefaultReader` is one. */
export interface BodyReader {
  /** The next chunk. Rejects when the body ended early (the client went away). */
  read(): Promise<{ done: true; value?: Uint8Array | undefined } | { done: false; value: Uint8Array }>;
  /** Stops reading; the rest of the body is thrown away. */
  cancel(): Promise<void>;
}

export interface ProtocolRequest {
  /** Upper-case, as the request line carries it. */
  readonly method: string;
  /** The path to route on: the request target as it arrived when the transport has it. */
  readonly path: string;
  /** A header's value, duplicates joined with ", " as `Headers.get` does; null when absent. */
  header(name: string): string | null;
  /** The request's absolute URL; only the Origin check without `Sec-Fetch-Site` needs it. */
  url(): string;
  /** The body, read only when a call takes one; null for none. */
  body(): BodyReader | null;
  /**
   * What the host's hooks (`getUser`, `csrf.verify`, `afterVerify`, `onError`,
   * `onRequestAborted`) receive as `request`.
   */
  readonly hostRequest: Request;
}
