import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  ActivateRequest,
  COMMON_ERRORS,
  ENDPOINT_NAMES,
  ENDPOINTS,
  ERROR_CODES,
  ERROR_STATUS,
  ErrorResponse,
  isErrorCode,
  MAX_CODE_LENGTH,
  MAX_ID_LENGTH,
  ReauthenticateRequest,
  RevokeTrustedBrowsersRequest,
  SetupRequest,
  SetupResponse,
  StatusResponse,
  TrustedBrowsersResponse,
  VerifyRequest,
  VerifyResponse,
} from '../src/index.js';

const ok = (schema: z.ZodMiniType, value: unknown) => z.safeParse(schema, value).success;

describe('requests are strict', () => {
  it('refuses a client-chosen secret at setup and at activation', () => {
    expect(ok(SetupRequest, {})).toBe(true);
    expect(ok(SetupRequest, { secret: 'JBSWY3DPEHPK3PXP' })).toBe(false);
    expect(ok(ActivateRequest, { enrollmentToken: 't', code: '123456', secret: 'JBSWY3DPEHPK3PXP' })).toBe(false);
  });

  it.each([null, 123456, ['123456'], {}, '', '1'.repeat(MAX_CODE_LENGTH + 1), undefined])(
    'refuses the code %j',
    (code) => {
      expect(ok(VerifyRequest, { code })).toBe(false);
    },
  );

  it('takes a code as typed, spaces and all, up to the length limit', () => {
    expect(ok(VerifyRequest, { code: '123 456' })).toBe(true);
    expect(ok(VerifyRequest, { code: '１２３４５６' })).toBe(true);
    expect(ok(VerifyRequest, { code: '1'.repeat(MAX_CODE_LENGTH) })).toBe(true);
  });

  it('refuses bodies that are not objects', () => {
    for (const body of [null, [], 'x', 1]) expect(ok(VerifyRequest, body)).toBe(false);
  });

  it('takes trustBrowserDays at verify as a whole number of days from 1 to 365, and only there', () => {
    for (const days of [1, 14, 365]) expect(ok(VerifyRequest, { code: '123456', trustBrowserDays: days })).toBe(true);
    for (const days of [0, 366, 1.5, '14', true, null]) {
      expect(ok(VerifyRequest, { code: '123456', trustBrowserDays: days }), String(days)).toBe(false);
    }
    expect(ok(ReauthenticateRequest, { code: '123456' })).toBe(true);
    expect(ok(ReauthenticateRequest, { code: '123456', trustBrowserDays: 14 })).toBe(false);
  });

  it('revokes one trusted browser by id or all of them, never both nor all: false', () => {
    expect(ok(RevokeTrustedBrowsersRequest, { id: 'tb_1' })).toBe(true);
    expect(ok(RevokeTrustedBrowsersRequest, { all: true })).toBe(true);
    for (const body of [
      {},
      { all: false },
      { all: 'true' },
      { id: '' },
      { id: 'x'.repeat(MAX_ID_LENGTH + 1) },
      { id: 'tb_1', all: true },
      { id: 'tb_1', userId: 'someone' },
    ]) {
      expect(ok(RevokeTrustedBrowsersRequest, body), JSON.stringify(body)).toBe(false);
    }
  });
});

describe('responses are open to additions', () => {
  const status = {
    totp: { active: true, createdAt: '2026-01-01T00:00:00.000Z', lastUsedAt: null },
    recoveryCodes: { total: 10, unused: 9 },
    config: { digits: 6, period: 30 },
    reauthenticationRequired: false,
  };

  it('accepts and drops fields a later backend may add (the versioning rule)', () => {
    const parsed = z.safeParse(StatusResponse, {
      ...status,
      webauthn: { active: false },
      totp: { ...status.totp, label: 'x' },
    });
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(status);
  });

  it('takes a status without features as every feature off (an older backend), and checks one with them', () => {
    expect(z.safeParse(StatusResponse, status).data?.features).toBeUndefined();
    const features = { trustedBrowsers: { maxDays: 30 }, codeReauthentication: true };
    expect(z.safeParse(StatusResponse, { ...status, features }).data?.features).toEqual(features);
    expect(ok(StatusResponse, { ...status, features: { trustedBrowsers: null, codeReauthentication: false } })).toBe(
      true,
    );
    expect(ok(StatusResponse, { ...status, features: { ...features, trustedBrowsers: { maxDays: 0 } } })).toBe(false);
    expect(ok(StatusResponse, { ...status, features: { trustedBrowsers: null } })).toBe(false);
  });

  it('takes a verify answer without trustedUntil (an older backend, or no trust asked)', () => {
    const verified = { method: 'totp', recoveryCodesLeft: 9 };
    expect(ok(VerifyResponse, verified)).toBe(true);
    expect(ok(VerifyResponse, { ...verified, trustedUntil: null })).toBe(true);
    expect(ok(VerifyResponse, { ...verified, trustedUntil: '2026-01-15T00:00:00.000Z' })).toBe(true);
    expect(ok(VerifyResponse, { ...verified, trustedUntil: 'in two weeks' })).toBe(false);
  });

  it('lists trusted browsers with their dates and which one is this browser', () => {
    const browser = {
      id: 'tb_1',
      label: 'Firefox on Windows',
      createdAt: '2026-01-01T00:00:00.000Z',
      lastUsedAt: null,
      expiresAt: '2026-01-15T00:00:00.000Z',
      current: true,
    };
    expect(ok(TrustedBrowsersResponse, { browsers: [] })).toBe(true);
    expect(ok(TrustedBrowsersResponse, { browsers: [browser] })).toBe(true);
    expect(ok(TrustedBrowsersResponse, { browsers: [{ ...browser, current: undefined }] })).toBe(false);
    expect(ok(TrustedBrowsersResponse, { browsers: [{ ...browser, expiresAt: null }] })).toBe(false);
  });

  it('still checks the fields it knows', () => {
    expect(ok(StatusResponse, { ...status, config: { digits: 5, period: 30 } })).toBe(false);
    expect(ok(StatusResponse, { ...status, totp: { ...status.totp, createdAt: 'yesterday' } })).toBe(false);
  });

  it('requires a base32 secret and a data-URI QR code in the setup body', () => {
    const setup = {
      secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      otpauthUrl: 'otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME',
      qrCode: null,
      digits: 6,
      period: 30,
      algorithm: 'SHA1',
      issuer: 'ACME',
      accountName: 'ada',
      enrollmentToken: 'sealed',
      expiresAt: '2026-01-01T00:10:00.000Z',
    };
    expect(ok(SetupResponse, setup)).toBe(true);
    expect(ok(SetupResponse, { ...setup, secret: 'jbswy3dp' })).toBe(false);
    expect(ok(SetupResponse, { ...setup, qrCode: 'https://chart.googleapis.com/chart?cht=qr' })).toBe(false);
  });
});

describe('errors', () => {
  it('gives every code a 4xx or 5xx status', () => {
    for (const code of ERROR_CODES) {
      expect(ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
      expect(ERROR_STATUS[code]).toBeLessThan(600);
    }
  });

  it('answers one generic invalid_code with 400, rate_limited with 429 and refusals with 403', () => {
    expect(ERROR_STATUS.invalid_code).toBe(400);
    expect(ERROR_STATUS.rate_limited).toBe(429);
    expect(ERROR_STATUS.forbidden).toBe(403);
    expect(ERROR_STATUS.deactivation_forbidden).toBe(403);
  });

  it('recognises codes and nothing else', () => {
    expect(isErrorCode('invalid_code')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(404)).toBe(false);
  });

  it('has an envelope that allows only known codes and a positive retryAfter', () => {
    expect(ok(ErrorResponse, { error: { code: 'rate_limited', message: 'Wait.', retryAfter: 300 } })).toBe(true);
    expect(ok(ErrorResponse, { error: { code: 'rate_limited', message: 'Wait.', retryAfter: 0 } })).toBe(false);
    expect(ok(ErrorResponse, { error: { code: 'teapot', message: 'x' } })).toBe(false);
    expect(ok(ErrorResponse, { code: 'invalid_code' })).toBe(false);
  });
});

describe('endpoints', () => {
  it('lists the six calls of every backend, then the feature calls; POST for every change, GET only for reads', () => {
    expect(ENDPOINT_NAMES).toEqual([
      'status',
      'setup',
      'activate',
      'deactivate',
      'verify',
      'regenerateRecoveryCodes',
      'reauthenticate',
      'trustedBrowsers',
      'revokeTrustedBrowsers',
    ]);
    const reads = ['status', 'trustedBrowsers'];
    for (const name of ENDPOINT_NAMES) {
      expect(ENDPOINTS[name].method).toBe(reads.includes(name) ? 'GET' : 'POST');
      expect(ENDPOINTS[name].request === null).toBe(reads.includes(name));
    }
  });

  it('lists only known error codes, none twice with the common ones', () => {
    for (const name of ENDPOINT_NAMES) {
      for (const code of ENDPOINTS[name].errors) {
        expect(isErrorCode(code)).toBe(true);
        expect(COMMON_ERRORS).not.toContain(code);
      }
    }
  });

  it('lets every call that takes a code answer rate_limited and invalid_code', () => {
    for (const name of ['activate', 'deactivate', 'verify', 'regenerateRecoveryCodes', 'reauthenticate'] as const) {
      expect(ENDPOINTS[name].errors).toEqual(expect.arrayContaining(['invalid_code', 'rate_limited']));
    }
  });
});
