/**
 * Step 8: hostile and malformed requests get a 4xx with the error envelope, never a 5xx
 * (reference/security.md checklist items 3, 33, 34 and 36).
 *
 * Every request here is wrong in exactly one way and is of a kind a backend must refuse before it
 * evaluates any code, so none of them counts towards the account's rate limit. Where a lenient
 * backend could go on to do something, the request is one whose effect would be harmless: the
 * transport checks target setup while TOTP is active (a lenient backend answers 409), and the
 * body checks carry no usable code.
 */
import { ENDPOINTS } from '../../endpoints.js';
import { MAX_BODY_LIMIT, MAX_CODE_LENGTH } from '../../schemas.js';
import type { RunContext } from '../context.js';
import { expectError, expectMethodNotAllowed, expectNoCorsGrant, expectStatus } from '../expect.js';

const { status, setup, activate, deactivate, verify, regenerateRecoveryCodes } = ENDPOINTS;
const POST_CALLS = [setup, activate, deactivate, verify, regenerateRecoveryCodes];

/** An origin no backend can trust: `.invalid` is reserved (RFC 2606 §2). */
const FOREIGN_ORIGIN = 'https://totpkit-conformance.invalid';

/** Twice the largest limit any backend may have. */
const OVERSIZED = 2 * MAX_BODY_LIMIT;

export async function checkBadInput(context: RunContext): Promise<void> {
  const { checks, client } = context;
  checks.step(8, 'bad input');

  // Item 33: cross-site requests. Setup is the target: harmless even if a backend lets one through.
  const refusedSetup = async (
    name: string,
    headers: Record<string, string | null>,
    ...codes: Parameters<typeof expectError>[1][]
  ) =>
    checks.check(name, async () => {
      expectError(await client.send('POST', setup.path, { body: {}, headers, label: name }), ...codes);
    });
  await refusedSetup(
    'a text/plain body is refused with 415',
    { 'Content-Type': 'text/plain;charset=UTF-8' },
    'unsupported_media_type',
  );
  await refusedSetup(
    'a form body is refused with 415',
    { 'Content-Type': 'application/x-www-form-urlencoded' },
    'unsupported_media_type',
  );
  await refusedSetup(
    'a multipart body is refused with 415',
    { 'Content-Type': 'multipart/form-data; boundary=x' },
    'unsupported_media_type',
  );
  await refusedSetup(
    'a body without Content-Type is refused with 415',
    { 'Content-Type': null },
    'unsupported_media_type',
  );
  await refusedSetup(
    'a request without Totpkit-Protocol is refused with 400',
    { 'Totpkit-Protocol': null },
    'invalid_request',
  );
  await refusedSetup(
    'a request with Totpkit-Protocol: 2 is refused with 400',
    { 'Totpkit-Protocol': '2' },
    'invalid_request',
  );
  await refusedSetup('Sec-Fetch-Site: cross-site is refused with 403', { 'Sec-Fetch-Site': 'cross-site' }, 'forbidden');
  await refusedSetup('Sec-Fetch-Site: same-site is refused with 403', { 'Sec-Fetch-Site': 'same-site' }, 'forbidden');

  // Item 35: foreign origins are refused and never granted CORS access.
  const base = new URL(client.url(''));
  const origins: [string, string][] = [
    ['a foreign Origin', FOREIGN_ORIGIN],
    ['Origin: null', 'null'],
    ['an Origin that only ends with the host', `${base.protocol}//evil${base.host}`],
    ['an Origin that only starts with the host', `${base.protocol}//${base.hostname}.totpkit-conformance.invalid`],
  ];
  for (const [description, origin] of origins) {
    await checks.check(`${description} is refused with 403 and no CORS grant`, async () => {
      const exchange = await client.send('POST', setup.path, {
        body: {},
        headers: { Origin: origin },
        label: description,
      });
      expectNoCorsGrant(exchange, origin);
      expectError(exchange, 'forbidden');
    });
  }
  await checks.check('a CORS preflight from a foreign origin gets no CORS grant', async () => {
    const headers = {
      Origin: FOREIGN_ORIGIN,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type,totpkit-protocol',
      'Totpkit-Protocol': null,
    };
    const exchange = await client.send('OPTIONS', verify.path, { headers, label: 'preflight' });
    expectNoCorsGrant(exchange, FOREIGN_ORIGIN);
    if (exchange.status >= 500) expectStatus(exchange, 403);
  });

  // Item 34: state-changing calls take POST only; status takes GET only.
  for (const call of POST_CALLS) {
    await checks.check(`GET and HEAD on ${call.path} are refused with 405 and Allow: POST`, async () => {
      expectMethodNotAllowed(await client.send('GET', call.path), 'POST');
      expectMethodNotAllowed(await client.send('HEAD', call.path), 'POST');
    });
  }
  await checks.check(`POST on ${status.path} is refused with 405 and Allow: GET`, async () => {
    expectMethodNotAllowed(await client.send('POST', status.path, { body: {} }), 'GET');
  });
  await checks.check('an unknown path under the base URL gets 404 not_found', async () => {
    expectError(await client.send('GET', '/totpkit-conformance-unknown'), 'not_found');
  });
  // §2.6: paths match byte for byte. What an HTTP client sends as it is (it resolves dot segments
  // itself): a percent-encoded letter, a trailing or doubled slash, another case.
  const [first, ...rest] = status.path.slice(1);
  for (const [name, path] of [
    ['a percent-encoded letter', `/%${(first as string).charCodeAt(0).toString(16)}${rest.join('')}`],
    ['a trailing slash', `${status.path}/`],
    ['a doubled slash', `/${status.path}`],
    ['upper case', status.path.toUpperCase()],
  ] as const) {
    await checks.check(`${status.path} with ${name} is not the call: 404 not_found`, async () => {
      expectError(await client.send('GET', path, { label: name }), 'not_found');
    });
  }

  // Item 36: bodies. The login call is the target; none of these carries a usable code.
  const refusedBody = async (name: string, body: BodyInit, ...codes: Parameters<typeof expectError>[1][]) =>
    checks.check(name, async () => {
      expectError(await client.send('POST', verify.path, { body, raw: true, label: name }), ...codes);
    });
  await refusedBody('malformed JSON is refused with 400 invalid_request', '{"code":', 'invalid_request');
  await refusedBody('an empty body is refused with 400 invalid_request', '', 'invalid_request');
  for (const json of ['[]', '"123456"', 'null', '123456']) {
    await refusedBody(
      `the JSON body ${json} (not an object) is refused with 400 invalid_request`,
      json,
      'invalid_request',
    );
  }
  await refusedBody(
    'invalid UTF-8 is refused with 400 invalid_request',
    Uint8Array.from([0x7b, 0x22, 0x63, 0x6f, 0x64, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    'invalid_request',
  );
  await refusedBody(
    'JSON nested 1000 deep is refused with 400 invalid_request',
    `{"code":${'['.repeat(1000)}${']'.repeat(1000)}}`,
    'invalid_request',
  );
  await refusedBody(
    'duplicate keys are refused with 400 invalid_request',
    '{"code":null,"code":null}',
    'invalid_request',
  );
  await refusedBody(
    `a ${OVERSIZED}-byte body is refused with 413`,
    `{"code":null}${' '.repeat(OVERSIZED)}`,
    'payload_too_large',
  );
  await refusedBody(
    `a ${OVERSIZED}-byte chunked body without Content-Length is refused with 413`,
    chunked(`{"code":null}${' '.repeat(OVERSIZED)}`),
    'payload_too_large',
  );

  // Item 3: a code that is not a string, or not a plausible length, is refused before any lookup.
  const codes: [string, unknown][] = [
    ['code: null', { code: null }],
    ['code as a number', { code: 123456 }],
    ['code as an array', { code: ['123456'] }],
    ['code as an object', { code: {} }],
    ['a missing code', {}],
    ['an empty code', { code: '' }],
    [`a code longer than ${MAX_CODE_LENGTH} characters`, { code: '1'.repeat(MAX_CODE_LENGTH + 1) }],
  ];
  for (const [description, body] of codes) {
    await checks.check(`${description} is refused with 400 invalid_request`, async () => {
      expectError(await client.send('POST', verify.path, { body, label: description }), 'invalid_request');
    });
  }
  await checks.check('an unknown field (a client-chosen secret) is refused with 400 invalid_request', async () => {
    const body = { ...context.activation, secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };
    expectError(await client.send('POST', activate.path, { body, label: 'unknown field' }), 'invalid_request');
  });
}

/** A body sent with `Transfer-Encoding: chunked`, so the backend cannot rely on Content-Length. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 16384));
      offset += 16384;
    },
  });
}
