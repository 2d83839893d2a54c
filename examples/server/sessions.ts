/**
 * A stand-in for your session layer, so that the examples run: sessions in memory, named by an
 * HttpOnly cookie. Keep its logic, not its storage (use express-session, iron-session or a table).
 * What matters is the two stages. After the password, a user with two-factor on gets a `pending`
 * session, which can do one thing: answer the TOTP challenge. Once the code is right,
 * `afterVerify` replaces it with a `complete` session under a new id.
 */
import { randomBytes } from 'node:crypto';
import type { Totpkit, TotpUser } from '@totpkit/server';
import type { TotpHandlerOptions } from '@totpkit/server/http';
import type { SessionUser } from './totpkit.js';

/** What the server examples take from your session layer: two hooks of `createTotpHandler`. */
export type SessionHooks = Pick<TotpHandlerOptions, 'getUser' | 'afterVerify'>;

export type SessionStage = 'pending' | 'complete';

export interface Session {
  user: SessionUser;
  stage: SessionStage;
}

export class MemorySessions implements SessionHooks {
  readonly #sessions = new Map<string, Session>();

  /** Starts a session and returns its `Set-Cookie` header value. */
  start(user: SessionUser, stage: SessionStage): string {
    const id = randomBytes(32).toString('base64url');
    this.#sessions.set(id, { user, stage });
    // Add `Secure` once the site is served over HTTPS, as it must be in production.
    return `session=${id}; Path=/; HttpOnly; SameSite=Lax`;
  }

  /** Call this after a correct password: the second step waits if the user has two-factor on. */
  async signIn(totpkit: Totpkit, user: TotpUser): Promise<string> {
    const { active } = await totpkit.status(user);
    return this.start({ ...user, authenticatedAt: Date.now() }, active ? 'pending' : 'complete');
  }

  /** The session a request's cookie names, if any. */
  find(request: Request): Session | undefined {
    const id = sessionId(request);
    return id === null ? undefined : this.#sessions.get(id);
  }

  /** For `createTotpHandler`: who is asking, or null for a 401. */
  getUser: SessionHooks['getUser'] = (request, { call }) => {
    const session = this.find(request);
    if (!session) return null;
    // A pending session may only answer the challenge; it must not see or change the settings.
    // A complete session has nothing left to verify.
    const allowed = session.stage === 'pending' ? call === 'verify' : call !== 'verify';
    return allowed ? session.user : null;
  };

  /** For `createTotpHandler`: the code was right, so the login is complete. */
  afterVerify: NonNullable<SessionHooks['afterVerify']> = ({ request }) => {
    const id = sessionId(request);
    const session = id === null ? undefined : this.#sessions.get(id);
    // getUser found this session a moment ago; anything else is a bug worth a 500.
    if (id === null || !session) throw new Error('afterVerify: the pending session is gone');
    // A new id, so that an id seen before the second step is worth nothing (ASVS 5.0 §7.2.4).
    this.#sessions.delete(id);
    return { 'Set-Cookie': this.start(session.user, 'complete') };
  };
}

/** One store for the app (the Next.js route imports it). */
export const sessions = new MemorySessions();

function sessionId(request: Request): string | null {
  const match = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '');
  return match?.[1] ?? null;
}
