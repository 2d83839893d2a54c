/**
 * Step 8: hostile and malformed requests get a 4xx with the error envelope, never a 5xx
 * (reference/security.md checklist items 3, 33, 34 and 36).
 *
 * One property per probe: every request here is a valid request with exactly one thing changed,
 * so a pass means that one property holds and nothing else could have refused it. The valid
 * request is sent first as the control. The transport probes target setup while TOTP is active:
 * unchanged, it is `409 already_active`, harmless and decided before any code is checked, so a
 * lenient backend answers 409 where it should have refused. The body probes target verify and
 * carry no usable code, and none of them counts towards the rate limit of a conforming backend.
 */
import { ENDPOINTS } from '../../endpoints.js';
import { MAX_BODY_LIMIT, MAX_CODE_LENGTH, MIN_BODY_LIMIT } from '../../schemas.js';
import { type RunContext, wrongCode } from '../context.js';
import {
  describeResponse,
  expectError,
  expectMethodNotAllowed,
  expectNoCorsGrant,
  expectStatus,
  expectThat,
} from '../expect.js';

const { status, setup, activate, deactivate, verify, regenerateRecoveryCodes } = ENDPOINTS;
const { reauthenticate, trustedBrowsers, revokeTrustedBrowsers } = ENDPOINTS;
const POST_CALLS = [setup, activate, deactivate, verify, regenerateRecoveryCodes];

/** An origin no backend can trust: `.invalid` is reserved (RFC 2606 §2). */
const FOREIGN_ORIGIN = 'https://totpkit-conformance.invalid';

/** One byte over the largest limit any backend may have (§2.5). */
const OVERSIZED = MAX_BODY_LIMIT + 1;

type Code = Parameters<typeof expectError>[1];

/** `{}` with spaces after it, `length` bytes in all: still exactly the setup body. */
const paddedSetupBody = (length: number) => `{}${' '.repeat(length - 2)}`;

export async function checkBadInput(context: RunContext): Promise<void> {
  const { checks, client } = context;
  checks.step(8, 'bad input');

  // The control: the unchanged request. Every transport probe below differs from it in one header.
  const send = (label: string, headers: Record<string, string | null> = {}, body: unknown = '{}') =>
    client.send('POST', setup.path, { body, raw: true, headers, label });
  const accepted = (name: string, headers: Record<string, string | null>, body?: unknown) =>
    checks.check(name, async () => {
      const exchange = await send(name, headers, body);
      expectThat(
        exchange.status === 409,
        '409 already_active (the request passes; TOTP is active)',
        describeResponse(exchange),
      );
      expectError(exchange, 'already_active');
    });
  const refused = (name: string, headers: Record<string, string | null>, code: Code, body?: unknown) =>
    checks.check(name, async () => expectError(await send(name, headers, body), code));

  await accepted('the control: a valid setup while TOTP is active is 409 already_active', {});
  await accepted('Content-Type: application/json; charset=utf-8 is accepted', {
    'Content-Type': 'application/json; charset=utf-8',
  });
  await accepted('Sec-Fetch-Site: same-origin is accepted', { 'Sec-Fetch-Site': 'same-origin' });
  await accepted("the backend's own Origin without Sec-Fetch-Site is accepted", {
    Origin: new URL(client.url('')).origin,
  });
  await accepted(`a ${MIN_BODY_LIMIT}-byte body (the least limit) is accepted`, {}, paddedSetupBody(MIN_BODY_LIMIT));

  // Item 33: cross-site requests and content types that a form or a simple request can send.
  await refused(
    'a body without any Content-Type is refused with 415',
    { 'Content-Type': null },
    'unsupported_media_type',
  );
  await refused(
    'a text/plain body is refused with 415',
    { 'Content-Type': 'text/plain;charset=UTF-8' },
    'unsupported_media_type',
  );
  await refused(
    'a form body is refused with 415',
    { 'Content-Type': 'application/x-www-form-urlencoded' },
    'unsupported_media_type',
  );
  await refused(
    'a multipart body is refused with 415',
    { 'Content-Type': 'multipart/form-data; boundary=x' },
    'unsupported_media_type',
  );
  await refused(
    'Content-Type: application/jsonp is refused with 415',
    { 'Content-Type': 'application/jsonp' },
    'unsupported_media_type',
  );
  await refused(
    'a request without Totpkit-Protocol is refused with 400',
    { 'Totpkit-Protocol': null },
    'invalid_request',
  );
  await refused(
    'a request with Totpkit-Protocol: 2 is refused with 400',
    { 'Totpkit-Protocol': '2' },
    'invalid_request',
  );
  await refused('Sec-Fetch-Site: cross-site is refused with 403', { 'Sec-Fetch-Site': 'cross-site' }, 'forbidden');
  await refused('Sec-Fetch-Site: same-site is refused with 403', { 'Sec-Fetch-Site': 'same-site' }, 'forbidden');
  if (client.sessions.csrf.length > 0) {
    await checks.check('a POST without the CSRF header is refused with 403', async () => {
      const exchange = await client.send('POST', setup.path, { body: {}, csrf: false, label: 'no CSRF header' });
      expectError(exchange, 'forbidden');
    });
  }

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
      const exchange = await send(description, { Origin: origin });
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

  // Item 34 and §2.6: state-changing calls take POST only; status takes GET and HEAD only. The
  // feature calls too, when status advertises them (else they are unknown paths, step 10 and 11).
  const features = context.features;
  const postCalls = [
    ...POST_CALLS,
    ...(features?.codeReauthentication ? [reauthenticate] : []),
    ...(features?.trustedBrowsers ? [revokeTrustedBrowsers] : []),
  ];
  for (const call of postCalls) {
    await checks.check(`GET on ${call.path} is refused with 405 and Allow: POST`, async () => {
      expectMethodNotAllowed(await client.send('GET', call.path), 'POST');
    });
    await checks.check(`HEAD on ${call.path} is refused with 405 and Allow: POST`, async () => {
      expectMethodNotAllowed(await client.send('HEAD', call.path), 'POST');
    });
  }
  await checks.check(`PUT on ${setup.path} is refused with 405 and Allow: POST`, async () => {
    expectMethodNotAllowed(await client.send('PUT', setup.path, { body: {} }), 'POST');
  });
  for (const read of features?.trustedBrowsers ? [status, trustedBrowsers] : [status]) {
    await checks.check(`POST on ${read.path} is refused with 405 and Allow: GET, HEAD`, async () => {
      const exchange = await client.send('POST', read.path, { body: {} });
      expectMethodNotAllowed(exchange, 'GET');
      expectMethodNotAllowed(exchange, 'HEAD');
    });
  }
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

  // Item 36: bodies. Setup while active (409 if let through) for the size of a valid body;
  // verify for the rest, with codes that cannot be right.
  const refusedBody = async (name: string, body: BodyInit, ...codes: Code[]) =>
    checks.check(name, async () => {
      expectError(await client.send('POST', verify.path, { body, raw: true, label: name }), ...codes);
    });
  // Without TOTP parameters (an earlier step failed) the checks below are only listed as skipped.
  const wrong = JSON.stringify(context.totp ? wrongCode(context) : '000000');
  await refusedBody('malformed JSON is refused with 400 invalid_request', `{"code":${wrong}`, 'invalid_request');
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
    Uint8Array.from([...Buffer.from('{"code":"1234'), 0xff, 0xfe, ...Buffer.from('"}')]),
    'invalid_request',
  );
  await refusedBody(
    'JSON nested 1000 deep is refused with 400 invalid_request',
    `{"code":${'['.repeat(1000)}${']'.repeat(1000)}}`,
    'invalid_request',
  );
  // Both values are codes in form, so only the duplicate can make this invalid_request: a backend
  // that takes either value answers invalid_code.
  const other = JSON.stringify(context.totp ? wrongCode(context, 1) : '000001');
  await refusedBody(
    'duplicate keys (two well-formed codes) are refused with 400 invalid_request',
    `{"code":${wrong},"code":${other}}`,
    'invalid_request',
  );

  await refused(`a ${OVERSIZED}-byte body is refused with 413`, {}, 'payload_too_large', paddedSetupBody(OVERSIZED));
  // Twice the largest limit, so a backend that reads a whole stream before it counts is caught too.
  await refused(
    `a ${2 * MAX_BODY_LIMIT}-byte chunked body without Content-Length is refused with 413`,
    {},
    'payload_too_large',
    chunked(paddedSetupBody(2 * MAX_BODY_LIMIT)),
  );

  // Item 3: a code that is not a string, or not a plausible length, is refused before any lookup.
  const codes: [string, unknown][] = [
    ['code: null', { code: null }],
    ['code as a number', { code: 123456 }],
    ['code as an array', { code: [JSON.parse(wrong)] }],
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
  await checks.check('an unknown field next to a well-formed code is refused with 400 invalid_request', async () => {
    const body = { code: JSON.parse(wrong), totpkitConformance: true };
    expectError(await client.send('POST', verify.path, { body, label: 'unknown field' }), 'invalid_request');
  });
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
