/**
 * Steps 1 to 7 of a run: status, setup, the kit's own code, activation, status again, verify and
 * replay. Wrong-code attempts are few and each short run of them ends in a success, so a backend
 * with a strict rate limit (5 failures, as allauth and totpkit default to) never locks the
 * test account.
 */
import { ENDPOINTS } from '../../endpoints.js';
import {
  RecoveryCodesResponse,
  type SetupResponse as SetupBody,
  SetupResponse,
  StatusResponse,
  VerifyResponse,
} from '../../schemas.js';
import { freshCode, NO_FEATURES, type RunContext, wrongCode } from '../context.js';
import { expectError, expectOk, expectThat } from '../expect.js';
import { base32ToBytes, parseOtpauthUrl } from '../totp.js';

const { status, setup, activate, verify } = ENDPOINTS;

/** A secret no backend may ever accept from a client (and a well-known one: RFC 4648's "Hello!"). */
const CLIENT_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** 10 minutes, the longest an enrollment token may live, plus a minute of clock skew. */
const MAX_ENROLLMENT_MS = 11 * 60 * 1000;

export async function checkInitialStatus(context: RunContext): Promise<void> {
  const { checks, client } = context;
  checks.step(1, 'status');
  const noSession = 'GET /status without the session headers is refused with 401 unauthenticated';
  if (context.hasSession) {
    await checks.check(noSession, async () => {
      expectError(await client.send('GET', status.path, { session: false, label: 'no session' }), 'unauthenticated');
    });
  } else {
    checks.skip(noSession, 'no session headers given (--header or --login-command), so none to leave out');
  }
  let body: StatusResponse | undefined;
  await checks.require('GET /status answers 200 with a status body', async () => {
    body = expectOk(await client.send('GET', status.path), StatusResponse);
    context.features = body.features ?? NO_FEATURES;
  });
  await checks.require('the test account starts without TOTP (deactivate it first if this fails)', () => {
    expectThat(body?.totp.active === false, 'totp.active false', 'totp.active true');
  });
}

export async function checkSetup(context: RunContext): Promise<SetupBody> {
  const { checks, client } = context;
  checks.step(2, 'setup');
  await checks.check('a client-chosen secret is refused with 400 invalid_request', async () => {
    const exchange = await client.send('POST', setup.path, { body: { secret: CLIENT_SECRET }, label: 'client secret' });
    const returned = (exchange.json as { secret?: unknown } | undefined)?.secret;
    if (typeof returned === 'string') context.secrets.push(returned);
    expectThat(
      returned !== CLIENT_SECRET,
      'the client-chosen secret ignored',
      'the backend used the client-chosen secret',
    );
    expectError(exchange, 'invalid_request');
  });

  let first: SetupBody | undefined;
  await checks.require('POST /totp/setup answers 200 with a setup body', async () => {
    first = expectOk(await client.send('POST', setup.path, { body: {} }), SetupResponse);
    context.secrets.push(first.secret);
    context.otpauthUrls.push(first.otpauthUrl);
  });
  const body = first as SetupBody;

  await checks.check('the secret is at least 128 bits (RFC 4226 §4 R6)', () => {
    const bits = base32ToBytes(body.secret).length * 8;
    expectThat(bits >= 128, 'at least 128 bits', `${bits} bits`);
  });
  await checks.check('the enrollment token expires in the future and within 10 minutes', () => {
    const left = Date.parse(body.expiresAt) - context.clock.now();
    expectThat(
      left > 0 && left <= MAX_ENROLLMENT_MS,
      'expiresAt within 10 minutes from now',
      `${Math.round(left / 1000)} s`,
    );
  });
  await checks.check('the enrollment token does not reveal the secret', () => {
    expectThat(
      !revealsSecret(body.enrollmentToken, body.secret),
      'a sealed token',
      'the secret is readable in the token',
    );
  });
  await checks.check('a second setup generates a different secret and token', async () => {
    const again = expectOk(await client.send('POST', setup.path, { body: {}, label: 'again' }), SetupResponse);
    context.secrets.push(again.secret);
    context.otpauthUrls.push(again.otpauthUrl);
    expectThat(again.secret !== body.secret, 'a new secret', 'the same secret');
    expectThat(again.enrollmentToken !== body.enrollmentToken, 'a new token', 'the same token');
  });

  checks.step(3, 'code');
  await checks.require('the otpauth URL gives the secret, digits, period and algorithm of the setup body', () => {
    const parsed = parseOtpauthUrl(body.otpauthUrl);
    const same =
      parsed.secret === body.secret &&
      parsed.digits === body.digits &&
      parsed.period === body.period &&
      parsed.algorithm === body.algorithm;
    expectThat(same, 'the same parameters in otpauthUrl and in the body', 'different parameters');
    context.totp = parsed;
  });
  return body;
}

export async function checkActivation(context: RunContext, pending: SetupBody): Promise<void> {
  const { checks, client } = context;
  checks.step(4, 'activate');
  // A backend can only check a code after it has opened the token that holds the secret, so the
  // code sent with a tampered token is still unused and activates TOTP below.
  const code = await freshCode(context);
  await checks.check('a tampered enrollment token is refused with 410 enrollment_expired', async () => {
    const body = { enrollmentToken: tamper(pending.enrollmentToken), code };
    expectError(await client.send('POST', activate.path, { body, label: 'tampered token' }), 'enrollment_expired');
  });
  await checks.check('a wrong code is refused with 400 invalid_code', async () => {
    const body = { enrollmentToken: pending.enrollmentToken, code: wrongCode(context) };
    expectError(await client.send('POST', activate.path, { body, label: 'wrong code' }), 'invalid_code');
  });
  await checks.require('the current code activates TOTP and returns recovery codes', async () => {
    const body = { enrollmentToken: pending.enrollmentToken, code };
    const exchange = await client.send('POST', activate.path, { body });
    if (exchange.status === 200) context.active = true;
    const { recoveryCodes } = expectOk(exchange, RecoveryCodesResponse);
    expectThat(new Set(recoveryCodes).size === recoveryCodes.length, 'distinct recovery codes', 'duplicates');
    context.unusedRecoveryCodes = [...recoveryCodes];
  });
  // `pending` is undefined when setup failed; the checks below are then only listed as skipped.
  context.activation = { enrollmentToken: pending?.enrollmentToken ?? '', code };
  await checks.check('the enrollment token is single use (409 already_active or 410 enrollment_expired)', async () => {
    const exchange = await client.send('POST', activate.path, { body: context.activation, label: 'token reuse' });
    expectError(exchange, 'already_active', 'enrollment_expired');
  });

  checks.step(5, 'status');
  await checks.check('status shows TOTP active, with createdAt and every recovery code unused', async () => {
    const body = expectOk(await client.send('GET', status.path, { label: 'after activation' }), StatusResponse);
    const count = context.unusedRecoveryCodes.length;
    expectThat(body.totp.active && body.totp.createdAt !== null, 'totp.active true with createdAt', 'inactive');
    const counts = body.recoveryCodes;
    expectThat(
      counts?.total === count && counts.unused === count,
      `recoveryCodes { total: ${count}, unused: ${count} }`,
      JSON.stringify(counts),
    );
    expectThat(
      body.config.digits === pending.digits && body.config.period === pending.period,
      'config.digits and config.period as in the setup body',
      JSON.stringify(body.config),
    );
  });
}

/** Spellings of a code that a careless parser (`parseInt`, a trimming cache key) takes for it. */
const LOOKALIKES: [string, (code: string) => string][] = [
  ['the current code followed by a letter', (code) => `${code}a`],
  ['the current code with a leading "+"', (code) => `+${code}`],
  ['the current code followed by a newline', (code) => `${code}\n`],
];

export async function checkVerifyAndReplay(context: RunContext): Promise<void> {
  const { checks, client } = context;
  checks.step(6, 'verify');
  const code = await freshCode(context);
  for (const [description, spell] of LOOKALIKES) {
    await checks.check(`${description} is refused with 400 invalid_code`, async () => {
      const exchange = await client.send('POST', verify.path, { body: { code: spell(code) }, label: description });
      expectError(exchange, 'invalid_code');
    });
  }
  const spaced = `${code.slice(0, 3)} ${code.slice(3)}`;
  await checks.require('the current code, typed with a space, is accepted (method totp)', async () => {
    const body = expectOk(await client.send('POST', verify.path, { body: { code: spaced } }), VerifyResponse);
    expectThat(body.method === 'totp', 'method "totp"', `method "${body.method}"`);
    const left = context.unusedRecoveryCodes.length;
    expectThat(
      body.recoveryCodesLeft === left,
      `recoveryCodesLeft ${left}`,
      `recoveryCodesLeft ${body.recoveryCodesLeft}`,
    );
  });

  checks.step(7, 'replay');
  await checks.check('the same code a second time is refused with 400 invalid_code', async () => {
    expectError(await client.send('POST', verify.path, { body: { code }, label: 'replay' }), 'invalid_code');
  });
  await checks.check('the code that activated TOTP cannot log in (400 invalid_code)', async () => {
    const body = { code: context.activation?.code };
    expectError(await client.send('POST', verify.path, { body, label: 'activation code' }), 'invalid_code');
  });
}

/** True when the token shows the secret: as text, or inside any base64/base64url segment. */
function revealsSecret(token: string, secret: string): boolean {
  const key = Buffer.from(base32ToBytes(secret));
  const needles = [secret.toUpperCase(), secret.toLowerCase(), key.toString('hex'), key.toString('latin1')];
  const haystacks = [
    token,
    ...token.split(/[.~:,]/).map((segment) => Buffer.from(segment, 'base64url').toString('latin1')),
  ];
  return haystacks.some((haystack) => needles.some((needle) => haystack.includes(needle)));
}

/** The token with one character in its middle changed, within the same alphabet where possible. */
function tamper(token: string): string {
  const index = Math.floor(token.length / 2);
  const char = token[index] ?? 'A';
  const replacement = char === 'A' ? 'B' : 'A';
  return `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
}
