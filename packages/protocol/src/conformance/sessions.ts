/**
 * Where the kit's credentials come from. A backend that follows docs/protocol.md §2.4 knows three
 * kinds of session, and the kit needs each for some calls:
 * - `signedIn`: the password and the second factor given (status and every change);
 * - `pending`: the password given, the second factor not yet (the login challenge, `verify`);
 * - `reauthenticated`: signed in a moment ago, for hosts that ask for a fresh login before a change.
 * Headers come per phase from the command line, or from a command or function that signs the test
 * user in and prints them. A pending session is spent by a successful `verify` (the backend
 * completes the login and rotates the session id), so the kit asks for a new one after each.
 */
import { execFile } from 'node:child_process';

export type SessionPhase = 'signedIn' | 'pending' | 'reauthenticated';
export type HeaderList = [string, string][];

/** Signs the test user in for `phase`; resolves the headers to send, or null when it cannot. */
export type SessionProvider = (phase: SessionPhase) => Promise<HeaderList | null>;

export class Sessions {
  readonly #provider: SessionProvider;
  readonly #cache = new Map<SessionPhase, HeaderList | null>();
  /** Headers on every request whatever the phase (`--csrf-header`); a probe leaves them out. */
  readonly csrf: HeaderList;

  constructor(provider: SessionProvider, csrf: HeaderList = []) {
    this.#provider = provider;
    this.csrf = csrf;
  }

  /**
   * The headers of `phase`, or null when neither the command line nor the provider gave any. A
   * host without a separate recent-login session uses the signed-in one for `reauthenticated`.
   */
  async headers(phase: SessionPhase): Promise<HeaderList | null> {
    if (!this.#cache.has(phase)) {
      const given = await this.#provider(phase);
      this.#cache.set(phase, given ?? (phase === 'reauthenticated' ? await this.headers('signedIn') : null));
    }
    return this.#cache.get(phase) ?? null;
  }

  /**
   * Follows a session the backend rotated, as a browser would: each `Set-Cookie` of a response
   * replaces that cookie in the `Cookie` header the request was sent with (hosts issue a new
   * session id after a change of factors, ASVS 5.0 §7.2.4 and §7.4.3).
   */
  followSetCookie(phase: SessionPhase, setCookies: string[]): void {
    const headers = this.#cache.get(phase);
    const index = headers?.findIndex(([name]) => name.toLowerCase() === 'cookie') ?? -1;
    if (!headers || index < 0 || setCookies.length === 0) return;
    const jar = new Map((headers[index] as [string, string])[1].split(/;\s*/).map((pair) => splitPair(pair)));
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const [name, value] = splitPair(pair.trim());
      const expired = attributes.some((attribute) => /^\s*max-age\s*=\s*(0|-)/i.test(attribute));
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
    // In place: the phases that share these headers (reauthenticated and signedIn) follow together.
    headers[index] = [
      (headers[index] as [string, string])[0],
      [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
    ];
  }

  /** Forgets a session the backend has spent, so the next request of that phase gets a new one. */
  spend(phase: SessionPhase): void {
    this.#cache.delete(phase);
  }
}

function splitPair(pair: string): [string, string] {
  const equals = pair.indexOf('=');
  return equals < 0 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
}

/** Fixed headers per phase, as given on the command line. */
export function fixedSessions(phases: Partial<Record<SessionPhase, HeaderList>>): SessionProvider {
  return async (phase) => {
    // A copy: followSetCookie updates the kit's headers, never the caller's.
    const given = (list: HeaderList | undefined) =>
      list && list.length > 0 ? list.map(([name, value]): [string, string] => [name, value]) : null;
    return given(phases[phase]);
  };
}

/**
 * Runs `command phase` through the shell and reads a JSON object of headers from its stdout:
 * `{"Cookie":"sessionid=…"}`. Printing `null` means "this phase cannot be had".
 */
export function commandSessions(command: string, timeoutMs: number): SessionProvider {
  return (phase) =>
    new Promise((resolve, reject) => {
      execFile('/bin/sh', ['-c', `${command} ${phase}`], { timeout: timeoutMs }, (error, stdout, stderr) => {
        if (error) return reject(new Error(`--login-command failed for ${phase}: ${stderr.trim() || error.message}`));
        let parsed: unknown;
        try {
          parsed = JSON.parse(stdout);
        } catch {
          return reject(new Error(`--login-command printed no JSON for ${phase}`));
        }
        if (parsed === null) return resolve(null);
        if (typeof parsed !== 'object' || Array.isArray(parsed))
          return reject(new Error(`--login-command must print a JSON object of headers for ${phase}`));
        resolve(Object.entries(parsed as Record<string, unknown>).map(([name, value]) => [name, String(value)]));
      });
    });
}
