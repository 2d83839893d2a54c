/**
 * The hand-written SHA-1 is checked against node:crypto. The benchmark's self-check runs the
 * same comparison on a million inputs; here a smaller sample keeps the suite fast.
 */
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hotpSha1, sha1, sha1HmacStateFromBytes } from '../../src/core/sha1.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('sha1', () => {
  it('matches the FIPS 180 examples', () => {
    expect(hex(sha1(new TextEncoder().encode('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(sha1(new Uint8Array(0)))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });

  it('matches node:crypto on every length around the block and padding boundaries', () => {
    for (let length = 0; length <= 200; length++) {
      const message = randomBytes(length);
      expect(hex(sha1(message))).toBe(createHash('sha1').update(message).digest('hex'));
    }
  });

  it('matches node:crypto on 5,000 random messages', () => {
    for (let i = 0; i < 5000; i++) {
      const message = randomBytes(randomInt(0, 300));
      expect(hex(sha1(message))).toBe(createHash('sha1').update(message).digest('hex'));
    }
  });
});

describe('hotpSha1 (precomputed HMAC key state)', () => {
  function reference(key: Buffer, high: number, low: number): number {
    const counter = Buffer.alloc(8);
    counter.writeUInt32BE(high, 0);
    counter.writeUInt32BE(low, 4);
    const mac = createHmac('sha1', key).update(counter).digest();
    const offset = mac[19]! & 0xf;
    return mac.readUInt32BE(offset) & 0x7fffffff;
  }

  it('matches node:crypto HMAC-SHA1 truncation for 20,000 random keys and counters', () => {
    for (let i = 0; i < 20000; i++) {
      // Key lengths include the >64-byte case, where HMAC hashes the key first.
      const key = randomBytes(randomInt(1, 100));
      const high = randomInt(0, 2 ** 32);
      const low = randomInt(0, 2 ** 32);
      expect(hotpSha1(sha1HmacStateFromBytes(key), high, low)).toBe(reference(key, high, low));
    }
  });

  it('covers every truncation offset', () => {
    const seen = new Set<number>();
    const key = randomBytes(20);
    const state = sha1HmacStateFromBytes(key);
    for (let low = 0; seen.size < 16 && low < 10000; low++) {
      const counter = Buffer.alloc(8);
      counter.writeUInt32BE(low, 4);
      seen.add(createHmac('sha1', key).update(counter).digest()[19]! & 0xf);
      expect(hotpSha1(state, 0, low)).toBe(reference(key, 0, low));
    }
    expect(seen.size).toBe(16);
  });
});
