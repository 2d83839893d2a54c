/**
 * HOTP's HMAC step (RFC 4226 §5.3) for each algorithm, behind one shape: build a key once, then
 * ask it for the truncated value at any 64-bit counter.
 *
 * - SHA1 uses the precomputed-state implementation in `sha1.ts` everywhere.
 * - SHA256/SHA512 use node:crypto when the runtime has it (Node, Bun, Deno), found through
 *   `process.getBuiltinModule` so that bundlers for browsers never see a `node:` import, and
 *   @noble/hashes (audited, synchronous) elsewhere. WebCrypto is async and would make every
 *   core function async, which allauth's synchronous API shape rules out.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import type { TotpAlgorithm } from './options.js';
import { secretToBytes, secretToKeyWords, type TotpSecret } from './secret.js';
import { hotpSha1, sha1HmacState, sha1HmacStateFromBytes } from './sha1.js';

/** The truncated 31-bit HOTP value for a counter given as its high and low 32-bit halves. */
export type HotpFunction = (counterHigh: number, counterLow: number) => number;

interface NodeCryptoHmac {
  createHmac(algorithm: string, key: Uint8Array): { update(data: Uint8Array): { digest(): Uint8Array } };
}

const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:crypto') as NodeCryptoHmac | undefined;

function counterBytes(high: number, low: number): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, high);
  view.setUint32(4, low);
  return bytes;
}

/** RFC 4226 §5.3 dynamic truncation of a full HMAC digest. */
function truncateDigest(digest: Uint8Array): number {
  const offset = digest[digest.length - 1]! & 0xf;
  return (
    ((digest[offset]! & 0x7f) << 24) | (digest[offset + 1]! << 16) | (digest[offset + 2]! << 8) | digest[offset + 3]!
  );
}

/** Scratch for the key words; refilled and wiped on every call, so nothing outlives it. */
const keyWords = new Int32Array(16);

/**
 * Builds the HOTP function of one secret, checking the secret's guardrails.
 *
 * For SHA1 a base32 secret is decoded straight into the HMAC key block, with no intermediate
 * byte array: decoding and key setup are half the cost of a ±1 verify.
 */
export function createHotpFunction(secret: TotpSecret, algorithm: TotpAlgorithm): HotpFunction {
  if (algorithm === 'SHA1') {
    const length = secretToKeyWords(secret, keyWords);
    const state = length <= 64 ? sha1HmacState(keyWords) : sha1HmacStateFromBytes(secretToBytes(secret));
    for (let i = 0; i < 16; i++) keyWords[i] = 0;
    return (high, low) => hotpSha1(state, high, low);
  }
  if (!nodeCrypto) return createPortableHotpFunction(secretToBytes(secret), algorithm);
  const key = secretToBytes(secret).slice();
  const name = algorithm === 'SHA256' ? 'sha256' : 'sha512';
  return (high, low) => truncateDigest(nodeCrypto.createHmac(name, key).update(counterBytes(high, low)).digest());
}

/**
 * The @noble/hashes path for SHA-256/512: what `createHotpFunction` uses where node:crypto is
 * absent, exported so the tests can compare it with node:crypto in any runtime. It keeps its own
 * copy of `key`.
 */
export function createPortableHotpFunction(key: Uint8Array, algorithm: Exclude<TotpAlgorithm, 'SHA1'>): HotpFunction {
  const hash = algorithm === 'SHA256' ? sha256 : sha512;
  const keyCopy = key.slice();
  return (high, low) => truncateDigest(hmac(hash, keyCopy, counterBytes(high, low)));
}
