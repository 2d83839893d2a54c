/**
 * Faults in the features (docs/protocol.md §5.7, §5.8) that the conformance kit must catch, one
 * at a time, as in faults.ts: the real handler, with every feature on, and exactly one defect.
 * Each names the kit's check built to catch it. Some defects live in the store rather than the
 * handler, so a fault here may also bring its own `totpkit` options.
 */
import { MemoryStore, type TotpkitOptions, type TrustedBrowserRecord } from '@totpkit/server';
import type { Fault, Handler } from './faults.js';

export interface FeatureFault extends Fault {
  /** Service options that differ from the correct server's (a leaky store). */
  totpkit?: Partial<TotpkitOptions>;
}

/** The cookie the kit's run sends for a session that reauthenticated a moment ago. */
export const FRESH_COOKIE = 'fresh=1';

const pathOf = (request: Request) => new URL(request.url).pathname;

/** The response with its `__Host-` Set-Cookie rewritten by `change`. */
function rewriteTrustCookie(change: (line: string) => string): (inner: Handler) => Handler {
  return (inner) => async (request) => {
    const response = await inner(request);
    const lines = response.headers.getSetCookie();
    if (!lines.some((line) => line.startsWith('__Host-'))) return response;
    const headers = new Headers(response.headers);
    headers.delete('set-cookie');
    for (const line of lines) headers.append('set-cookie', line.startsWith('__Host-') ? change(line) : line);
    return new Response(response.body, { status: response.status, headers });
  };
}

/** The JSON body of a 200 answer to `path`, rewritten by `change`. */
function rewriteBody(path: string, change: (body: Record<string, unknown>) => unknown): (inner: Handler) => Handler {
  return (inner) => async (request) => {
    const response = await inner(request);
    if (!pathOf(request).endsWith(path) || response.status !== 200 || request.method === 'HEAD') return response;
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(change(await response.json())), { status: 200, headers });
  };
}

/** A store that keeps a user's trusted browsers through one of the changes that must revoke them. */
class TrustOutlivesStore extends MemoryStore {
  /** What the kit is shown: the records, kept apart from the ones the real store revokes. */
  readonly #kept = new Map<string, TrustedBrowserRecord>();

  constructor(readonly outlives: 'deactivation' | 'regeneration') {
    super();
  }

  #forget(userId: string, id?: string): void {
    for (const record of this.#kept.values()) {
      if (record.userId === userId && (id === undefined || record.id === id)) this.#kept.delete(record.id);
    }
  }

  override async addTrustedBrowser(record: TrustedBrowserRecord): Promise<boolean> {
    const added = await super.addTrustedBrowser(record);
    if (added) this.#kept.set(record.id, { ...record });
    return added;
  }

  override async listTrustedBrowsers(userId: string, now: Date): Promise<TrustedBrowserRecord[]> {
    return [...this.#kept.values()]
      .filter((record) => record.userId === userId && record.expiresAt > now)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  override async deleteTrustedBrowsers(userId: string, id?: string): Promise<number> {
    this.#forget(userId, id);
    return super.deleteTrustedBrowsers(userId, id);
  }

  override async deleteAuthenticator(userId: string): Promise<boolean> {
    if (this.outlives !== 'deactivation') this.#forget(userId);
    return super.deleteAuthenticator(userId);
  }

  override async replaceRecoveryCodes(...args: Parameters<MemoryStore['replaceRecoveryCodes']>): Promise<boolean> {
    if (this.outlives !== 'regeneration') this.#forget(args[0]);
    return super.replaceRecoveryCodes(...args);
  }
}

export const FEATURE_FAULTS: FeatureFault[] = [
  {
    name: 'the trust cookie without HttpOnly (scripts can read it)',
    probe: 'its cookie is __Host-, HttpOnly, Secure, SameSite=Lax, Path=/, and lasts until trustedUntil',
    wrap: rewriteTrustCookie((line) => line.replace(/;\s*HttpOnly/i, '')),
  },
  {
    name: 'trustBrowserDays not capped at maxDays',
    probe: 'verify with trustBrowserDays 15 trusts this browser for maxDays (14), in trustedUntil',
    wrap: rewriteBody('/verify', (body) =>
      typeof body.trustedUntil === 'string'
        ? { ...body, trustedUntil: new Date(Date.parse(body.trustedUntil) + 86_400_000).toISOString() }
        : body,
    ),
  },
  {
    name: 'the list never marks the current browser',
    probe: 'GET /trusted-browsers lists it as current when its cookie is sent, with its expiresAt',
    wrap: rewriteBody('/trusted-browsers', (body) => ({
      browsers: (body.browsers as { current: boolean }[]).map((browser) => ({ ...browser, current: false })),
    })),
  },
  {
    name: 'a pending session may list trusted browsers',
    probe: 'a pending session may not list trusted browsers (401 unauthenticated)',
    handler: (correct) => ({
      getUser: async (request, context) => {
        const user = await correct.getUser?.(request, context);
        return user && context.call === 'trustedBrowsers' ? { ...user, pending: false } : (user ?? null);
      },
    }),
  },
  {
    name: 'revoking one by id revokes nothing',
    probe: 'revoking one by its id answers revoked 1, and it is no longer listed',
    wrap: (inner) => async (request) => {
      if (!pathOf(request).endsWith('/trusted-browsers/revoke')) return inner(request);
      const body = await request.clone().json();
      if (!('id' in body)) return inner(request);
      const headers = new Headers(request.headers);
      headers.delete('content-length');
      const unknown = JSON.stringify({ id: 'nobody-has-this-id' });
      return inner(new Request(request.url, { method: 'POST', headers, body: unknown }));
    },
  },
  {
    name: 'trust outlives the deactivation of TOTP',
    probe: 'deactivation revoked every trusted browser: none is listed, not even with its cookie',
    totpkit: { store: new TrustOutlivesStore('deactivation') },
  },
  {
    name: 'trust outlives the regeneration of the recovery codes',
    probe: 'regenerating the recovery codes revoked every trusted browser',
    totpkit: { store: new TrustOutlivesStore('regeneration') },
  },
  {
    name: 'trusted browsers listed while status says they are not offered',
    probe: 'GET /trusted-browsers, not offered, answers 404 not_found like an unknown path',
    wrap: rewriteBody('/status', (body) => ({
      ...body,
      features: { ...(body.features as object), trustedBrowsers: null },
    })),
  },
  {
    name: 'features withheld from a pending session (the login page cannot offer trust)',
    probe: 'status to a pending session is 401, or advertises the same features',
    wrap: (inner) => {
      const strip = rewriteBody('/status', ({ features: _withheld, ...body }) => body);
      return async (request) =>
        /stage=pending/.test(request.headers.get('cookie') ?? '') ? strip(inner)(request) : inner(request);
    },
  },
  {
    name: 'a reauthentication code replayed',
    probe: 'the same code a second time is refused at reauthenticate with 400 invalid_code',
    wrap: (inner) => {
      const accepted = new Map<string, string>();
      return async (request) => {
        if (!pathOf(request).endsWith('/reauthenticate')) return inner(request);
        const { code } = await request.clone().json();
        const previous = accepted.get(code);
        if (previous)
          return new Response(previous, {
            status: 200,
            headers: {
              'Content-Type': 'application/json',
              'Cache-Control': 'no-store',
              'X-Content-Type-Options': 'nosniff',
            },
          });
        const response = await inner(request);
        if (response.status === 200) accepted.set(code, await response.clone().text());
        return response;
      };
    },
  },
  {
    name: 'rule 5 ignored: a stale session must reauthenticate before deactivating, code or not',
    probe: 'rule 5: a wrong code at deactivation is 400 invalid_code, not 401 reauthentication_required',
    wrap: (inner) => async (request) => {
      const stale = !(request.headers.get('cookie') ?? '').includes(FRESH_COOKIE);
      if (!pathOf(request).endsWith('/totp/deactivate') || !stale) return inner(request);
      const body = { error: { code: 'reauthentication_required', message: 'Sign in again.' } };
      return new Response(JSON.stringify(body), {
        status: 401,
        headers: {
          'Content-Type': 'application/json',
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
        },
      });
    },
  },
];
