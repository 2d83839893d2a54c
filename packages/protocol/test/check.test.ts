/**
 * The browser checker (`@totpkit/protocol/check`) against zod, the single source: on valid bodies,
 * on mutated ones and on random JSON, for every response schema, both accept the same bodies and
 * return the same value. Then the problems it names, and what it never says.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { checkResponse, ENDPOINT_SHAPES, ERROR_SHAPE, type ResponseName } from '../src/check/index.js';
import { ENDPOINT_NAMES, ENDPOINTS, ErrorResponse } from '../src/index.js';
import { bodiesFor } from './support/shape-arbitraries.js';

const RESPONSES: [ResponseName, z.ZodMiniType][] = [
  ...ENDPOINT_NAMES.map((name): [ResponseName, z.ZodMiniType] => [name, ENDPOINTS[name].response]),
  ['error', ErrorResponse],
];
const shapeOf = (name: ResponseName) => (name === 'error' ? ERROR_SHAPE : ENDPOINT_SHAPES[name].response);

describe('checkResponse agrees with zod', () => {
  it.each(RESPONSES)('on %s bodies: valid, mutated and random', (name, schema) => {
    let rejected = 0;
    let accepted = 0;
    fc.assert(
      fc.property(bodiesFor(shapeOf(name)), ({ body, mutated }) => {
        const expected = z.safeParse(schema, body);
        const actual = checkResponse(name, body);
        // A body generated valid must be valid for zod too, or the generated table is wrong.
        if (!mutated) expect(expected.success).toBe(true);
        expect(actual.ok).toBe(expected.success);
        if (actual.ok) expect(actual.value).toStrictEqual(expected.data);
        if (actual.ok) accepted++;
        else rejected++;
      }),
      { numRuns: 400 },
    );
    // Both sides of the comparison were exercised.
    expect(accepted).toBeGreaterThan(40);
    expect(rejected).toBeGreaterThan(40);
  });
});

const status = {
  totp: { active: true, createdAt: '2026-01-01T00:00:00.000Z', lastUsedAt: null },
  recoveryCodes: { total: 10, unused: 9 },
  config: { digits: 6, period: 30 },
  reauthenticationRequired: false,
};

describe('checkResponse', () => {
  it('returns the body without the members v1 does not know', () => {
    const result = checkResponse('status', { ...status, webauthn: {}, totp: { ...status.totp, label: 'x' } });
    expect(result).toEqual({ ok: true, value: status });
  });

  it.each([
    ['activate', { recoveryCodes: ['abcde-fghij', 7] }, 'recoveryCodes[1]: expected a string'],
    ['activate', { recoveryCodes: [] }, 'recoveryCodes: length below the minimum 1'],
    ['activate', {}, 'recoveryCodes: missing'],
    ['status', null, 'body: expected an object'],
    ['status', { ...status, totp: { ...status.totp, createdAt: 'yesterday' } }, 'totp.createdAt: not a date-time'],
    ['status', { ...status, config: { digits: 5, period: 30 } }, 'config.digits: below the minimum 6'],
    ['status', { ...status, config: { digits: 6, period: 30.5 } }, 'config.period: expected an integer'],
    ['status', { ...status, recoveryCodes: { total: 1, unused: '1' } }, 'recoveryCodes.unused: expected an integer'],
    ['verify', { method: 'sms', recoveryCodesLeft: null }, 'method: expected one of totp, recovery_code'],
    [
      'error',
      { error: { code: 'rate_limited', message: 'Wait.', retryAfter: 0 } },
      'error.retryAfter: below the minimum 1',
    ],
    ['error', { message: 'boom' }, 'error: missing'],
  ] as const)('names the problem in a %s body: %j', (name, body, problem) => {
    expect(checkResponse(name, body)).toEqual({ ok: false, problem });
  });

  it('names a field whose value is wrong without repeating the value', () => {
    const secret = 'jbswy3dpehpk3pxp';
    const result = checkResponse('setup', { secret });
    expect(result).toEqual({ ok: false, problem: 'secret: does not match ^[A-Z2-7]+$' });
  });

  it('accepts what an older backend answers: a status without features, a verify without trustedUntil', () => {
    expect(checkResponse('status', status)).toEqual({ ok: true, value: status });
    const verified = { method: 'totp', recoveryCodesLeft: 9 };
    expect(checkResponse('verify', verified)).toEqual({ ok: true, value: verified });
  });

  it('keeps the features a status advertises, and names a wrong one', () => {
    const features = { trustedBrowsers: { maxDays: 14 }, codeReauthentication: true };
    expect(checkResponse('status', { ...status, features })).toEqual({ ok: true, value: { ...status, features } });
    expect(checkResponse('status', { ...status, features: { ...features, codeReauthentication: 'yes' } })).toEqual({
      ok: false,
      problem: 'features.codeReauthentication: expected a boolean',
    });
  });

  it('accepts the optional members of an error when they are left out', () => {
    const result = checkResponse('error', { error: { code: 'not_active', message: 'Off.' } });
    expect(result).toEqual({ ok: true, value: { error: { code: 'not_active', message: 'Off.' } } });
  });
});
