/**
 * Step 1, continued: the checks of §2.3 and the headers of §2.2 hold for reads too. Each request
 * is a valid `GET` or `HEAD` of status with exactly one thing changed, so a pass means that one
 * property holds; the unchanged request is checked first, as the control.
 */
import { ENDPOINTS } from '../../endpoints.js';
import { StatusResponse } from '../../schemas.js';
import type { Exchange } from '../client.js';
import type { RunContext } from '../context.js';
import { describeResponse, expectError, expectOk, expectStatus, expectThat } from '../expect.js';

const { status } = ENDPOINTS;
const FOREIGN_ORIGIN = 'https://totpkit-conformance.invalid';

/** The three headers §2.2 puts on every response; `Content-Type` also on a HEAD, which answers as GET. */
export function expectResponseHeaders(exchange: Exchange): void {
  const cacheControl = exchange.headers.get('cache-control') ?? '';
  expectThat(/(^|,)\s*no-store\s*(,|$)/i.test(cacheControl), 'Cache-Control: no-store', cacheControl || 'none');
  const nosniff = exchange.headers.get('x-content-type-options') ?? '';
  expectThat(nosniff.toLowerCase() === 'nosniff', 'X-Content-Type-Options: nosniff', nosniff || 'none');
  if (exchange.status === 204) return;
  const type = exchange.headers.get('content-type') ?? '';
  expectThat(/^application\/json\s*(;|$)/i.test(type), 'Content-Type: application/json', type || 'none');
}

export async function checkReads(context: RunContext): Promise<void> {
  const { checks, client } = context;
  checks.step(1, 'status headers');
  await checks.check(
    'GET /status carries Cache-Control: no-store, nosniff and Content-Type: application/json',
    async () => {
      const exchange = await client.send('GET', status.path, { label: 'headers' });
      expectOk(exchange, StatusResponse);
      expectResponseHeaders(exchange);
    },
  );
  await checks.check('HEAD /status answers 200 like GET, without a body and with the same headers', async () => {
    const exchange = await client.send('HEAD', status.path);
    expectStatus(exchange, 200);
    expectThat(exchange.text === '', 'no body', `${exchange.text.length} characters`);
    expectResponseHeaders(exchange);
  });
  await checks.check('GET /status with Sec-Fetch-Site: same-origin and its own Origin is answered (200)', async () => {
    const headers = { 'Sec-Fetch-Site': 'same-origin', Origin: new URL(client.url('')).origin };
    const exchange = await client.send('GET', status.path, { headers, label: 'same-origin' });
    expectThat(exchange.status === 200, '200', describeResponse(exchange));
  });

  const refused = (name: string, headers: Record<string, string | null>, code: 'invalid_request' | 'forbidden') =>
    checks.check(name, async () => {
      const exchange = await client.send('GET', status.path, { headers, label: name });
      expectError(exchange, code);
      expectResponseHeaders(exchange);
    });
  await refused(
    'GET /status without Totpkit-Protocol is refused with 400',
    { 'Totpkit-Protocol': null },
    'invalid_request',
  );
  await refused(
    'GET /status with Totpkit-Protocol: 2 is refused with 400',
    { 'Totpkit-Protocol': '2' },
    'invalid_request',
  );
  await refused(
    'GET /status with Sec-Fetch-Site: cross-site is refused with 403',
    { 'Sec-Fetch-Site': 'cross-site' },
    'forbidden',
  );
  await refused('GET /status with a foreign Origin is refused with 403', { Origin: FOREIGN_ORIGIN }, 'forbidden');
  await checks.check('HEAD /status without Totpkit-Protocol is refused with 400', async () => {
    const exchange = await client.send('HEAD', status.path, {
      headers: { 'Totpkit-Protocol': null },
      label: 'no protocol header',
    });
    expectStatus(exchange, 400);
    expectResponseHeaders(exchange);
  });
  if (client.sessions.csrf.length > 0) {
    await checks.check('GET /status without the CSRF header is refused with 403', async () => {
      const exchange = await client.send('GET', status.path, { csrf: false, label: 'no CSRF header' });
      expectError(exchange, 'forbidden');
    });
  }
}
