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
  SetupRequest,
  SetupResponse,
  StatusResponse,
  VerifyRequest,
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
  it('lists six calls, POST for every change and GET only for status', () => {
    expect(ENDPOINT_NAMES).toEqual(['status', 'setup', 'activate', 'deactivate', 'verify', 'regenerateRecoveryCodes']);
    for (const name of ENDPOINT_NAMES) expect(ENDPOINTS[name].method).toBe(name === 'status' ? 'GET' : 'POST');
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
    for (const name of ['activate', 'deactivate', 'verify', 'regenerateRecoveryCodes'] as const) {
      expect(ENDPOINTS[name].errors).toEqual(expect.arrayContaining(['invalid_code', 'rate_limited']));
    }
  });
});
