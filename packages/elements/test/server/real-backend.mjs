// The real protocol handler for the end-to-end suite (test/real-backend.test.ts): createTotpHandler
// over a MemoryStore, mounted in the test runner's own dev server under /real-mfa, so the page
// calls it same-origin on 127.0.0.1 exactly as a host app would.
//
// Each test names its user in an `X-Test-User` header (through the elements' `headers` property),
// so tests never share state. A user whose id starts with `reauth-`, or any user whose request
// carries `X-Test-Stale-Login: 1`, must reauthenticate first. The handler trusts browsers (14 days)
// and takes codes for reauthentication (the default), as status `features` says (issue 17).
//
// @totpkit/server is loaded when the first request arrives: if it is not built (or broken), only
// the end-to-end suite fails, with the reason in every answer, and the other suites still run.

export const REAL_BASE_PATH = '/real-mfa';

async function createListener() {
  const { createTotpkit, generateEncryptionKey, MemoryStore } = await import('@totpkit/server');
  const { createTotpHandler } = await import('@totpkit/server/http');
  const { toNodeListener } = await import('@totpkit/server/http/node');
  const totpkit = createTotpkit({
    issuer: 'totpkit elements test',
    store: new MemoryStore(),
    keyring: { current: 'k1', keys: { k1: generateEncryptionKey() } },
    adapter: { requireRecentAuth: (user) => user.id.startsWith('reauth-') || user.staleLogin },
    trustedBrowsers: true,
    logger: { warn: () => {}, error: (message) => console.error(message) },
  });
  const handler = createTotpHandler({
    totpkit,
    basePath: REAL_BASE_PATH,
    getUser: (request) => {
      const id = request.headers.get('x-test-user');
      return id
        ? { id, email: `${id}@example.com`, staleLogin: request.headers.get('x-test-stale-login') === '1' }
        : null;
    },
  });
  return toNodeListener(handler);
}

/** A Koa middleware (the dev server's kind) that answers the protocol under REAL_BASE_PATH. */
export function realBackendMiddleware() {
  let listener;
  return async (context, next) => {
    if (context.path !== REAL_BASE_PATH && !context.path.startsWith(`${REAL_BASE_PATH}/`)) return next();
    listener ??= createListener();
    let listen;
    try {
      listen = await listener;
    } catch (error) {
      context.status = 500;
      context.type = 'text/plain';
      context.body = `The real backend could not start (is @totpkit/server built?): ${error?.message ?? error}`;
      return;
    }
    context.respond = false;
    await new Promise((resolve, reject) => {
      context.res.on('close', resolve);
      listen(context.req, context.res, (error) => (error ? reject(error) : resolve()));
    });
  };
}
