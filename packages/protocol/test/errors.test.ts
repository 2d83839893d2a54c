import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_STATUS, isErrorCode } from '../src/index.js';

describe('error codes', () => {
  it('gives every code a 4xx or 5xx status', () => {
    for (const code of ERROR_CODES) {
      expect(ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
      expect(ERROR_STATUS[code]).toBeLessThan(600);
    }
  });

  it('answers one generic invalid_code with 400 and rate_limited with 429', () => {
    expect(ERROR_STATUS.invalid_code).toBe(400);
    expect(ERROR_STATUS.rate_limited).toBe(429);
  });

  it('recognises codes and nothing else', () => {
    expect(isErrorCode('invalid_code')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(404)).toBe(false);
  });
});
