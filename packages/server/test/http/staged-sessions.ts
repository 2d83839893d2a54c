/**
 * The session design docs/protocol.md §2.4 recommends, for the conformance runs: the cookie
 * `session=<id>; stage=pending` is the account with only its password given, which may answer the
 * challenge and read a withheld status; `session=<id>` alone is fully signed in, and may do the
 * rest but not the challenge.
 */
import { sessionUser } from './support.js';

export function stagedUser(request: Request, { call }: { call: string }) {
  const user = sessionUser(request);
  if (!user) return null;
  if (/(?:^|;\s*)stage=pending(?:;|$)/.test(request.headers.get('cookie') ?? '')) return { ...user, pending: true };
  return call === 'verify' ? null : user;
}

/** The kit's headers for the account behind `cookie`, per phase. */
export function stagedHeaders(cookie: string) {
  return { headers: { Cookie: cookie }, pendingHeaders: { Cookie: `${cookie}; stage=pending` } };
}
