/**
 * The matrix under workerd (the runtime of Cloudflare Workers), bundled by esbuild into one ES
 * module: `GET /__checks` runs the core and the lifecycle on the memory store; `/mfa/*` is the
 * Fetch handler on the memory store, and `POST /__clock` moves its clock (see shared.mjs).
 * workerd forbids random numbers outside a request, so the service is made on the first one.
 */
import { coreChecks, lifecycleChecks, memoryParts, protocolApp, virtualClock } from './shared.mjs';

let app = null;
const clock = virtualClock();

export default {
  async fetch(request) {
    if (new URL(request.url).pathname === '/__checks') {
      return Response.json({
        runtime: `workerd ${navigator.userAgent}`,
        core: coreChecks(),
        memory: await lifecycleChecks(memoryParts),
        now: clock.now(),
      });
    }
    app ??= protocolApp(memoryParts(clock), clock);
    return app(request);
  },
};
