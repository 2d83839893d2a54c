/**
 * Encryption at rest: AES-256-GCM under a keyring of named 256-bit keys.
 *
 * - Every ciphertext carries the id of the key that sealed it (`v1.<keyId>.<iv‖ciphertext‖tag>`),
 *   so keys can be rotated: add a new key, make it `current`, and old ciphertexts still open;
 *   `rotate` re-seals one under the current key (the service does so whenever it uses a secret).
 * - The additional authenticated data binds the key id, a purpose and a context (the user id),
 *   so a sealed secret copied into another user's row, or presented as an enrollment token,
 *   does not open.
 * - Keys come from configuration, never from the database. The primitives run on node:crypto or
 *   WebCrypto (primitives.ts), so this works in Node and in edge runtimes alike.
 */
import { TotpkitError } from '../errors.js';
import { fromBase64, toBase64Url } from './base64url.js';
import { type Aead, type CryptoBackend, defaultBackend, type Mac } from './primitives.js';

export interface KeyringOptions {
  /** The id of the key that seals new data. */
  current: string;
  /** Every key that may open data: id → 32 random bytes in base64 (see `generateEncryptionKey`). */
  keys: Record<string, string>;
  /** The crypto implementation; default node:crypto where available, else WebCrypto. For tests. */
  backend?: CryptoBackend;
}

/** What the sealed data is for; part of the authenticated data. */
export type SealPurpose = 'totp-secret' | 'enrollment-token';

export interface Keyring {
  readonly currentKeyId: string;
  /** The ids of every key, current first. */
  readonly keyIds: readonly string[];
  /** Seals `plaintext` under the current key. */
  seal(plaintext: string, purpose: SealPurpose, context: string): Promise<string>;
  /**
   * Opens what `seal` produced with the same purpose and context.
   * @throws TotpkitError `decryption_failed` for an unknown key id, a wrong key or any tampering.
   */
  open(sealed: string, purpose: SealPurpose, context: string): Promise<string>;
  /** The key id a sealed value names, or null when it is not in this format. */
  keyIdOf(sealed: string): string | null;
  /** Re-seals under the current key; returns `sealed` itself when it already is. */
  rotate(sealed: string, purpose: SealPurpose, context: string): Promise<string>;
  /** HMAC-SHA256 of `data` under a subkey of key `keyId` derived for `purpose` (HKDF). */
  mac(purpose: string, data: string, keyId?: string): Promise<Uint8Array>;
}

const FORMAT = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A new random AES-256 key as base64, for `createKeyring({ keys })`. */
export function generateEncryptionKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const encoded = btoa(String.fromCharCode(...bytes));
  bytes.fill(0);
  return encoded;
}

function configError(message: string): TotpkitError {
  return new TotpkitError('invalid_configuration', message);
}

function decryptionError(message: string, cause?: unknown): TotpkitError {
  return new TotpkitError('decryption_failed', message, { cause });
}

/**
 * @throws TotpkitError `invalid_configuration` for a bad key id, a key that is not 32 bytes of
 *   base64, or a `current` that names no key.
 */
export function createKeyring(options: KeyringOptions): Keyring {
  if (!options || typeof options !== 'object' || !options.keys || typeof options.keys !== 'object') {
    throw configError('keyring needs { current, keys: { id: base64Key } }; create a key with generateEncryptionKey().');
  }
  const raw = new Map<string, Uint8Array>();
  for (const [id, encoded] of Object.entries(options.keys)) {
    if (!KEY_ID.test(id)) throw configError(`keyring key id "${id}" must be 1–32 characters of A–Z, a–z, 0–9, _ or -.`);
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(String(encoded));
    } catch {
      throw configError(`keyring key "${id}" is not base64; create one with generateEncryptionKey().`);
    }
    if (bytes.length !== 32) {
      throw configError(`keyring key "${id}" is ${bytes.length} bytes; AES-256 needs 32 (generateEncryptionKey()).`);
    }
    raw.set(id, bytes);
  }
  if (!raw.has(options.current)) {
    throw configError(
      `keyring.current is "${String(options.current)}", which is not one of the keys (${[...raw.keys()].join(', ') || 'none'}).`,
    );
  }
  const currentKeyId = options.current;
  const keyIds = [currentKeyId, ...[...raw.keys()].filter((id) => id !== currentKeyId)];

  const backend = options.backend ?? defaultBackend;
  const aeads = new Map<string, Aead>();
  const aead = (id: string) => {
    let cipher = aeads.get(id);
    if (!cipher) {
      cipher = backend.aead(raw.get(id) as Uint8Array);
      aeads.set(id, cipher);
    }
    return cipher;
  };
  const macs = new Map<string, Mac>();
  const macFor = (id: string, purpose: string) => {
    const cacheKey = `${id}\u0000${purpose}`;
    let mac = macs.get(cacheKey);
    if (!mac) {
      mac = backend.mac(raw.get(id) as Uint8Array, `mac:${purpose}`);
      macs.set(cacheKey, mac);
    }
    return mac;
  };
  const aad = (id: string, purpose: SealPurpose, context: string) =>
    encoder.encode(`totpkit:${FORMAT}:${id}:${purpose}:${context}`);

  const keyring: Keyring = {
    currentKeyId,
    keyIds,

    async seal(plaintext, purpose, context) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const sealed = await aead(currentKeyId).seal(iv, encoder.encode(plaintext), aad(currentKeyId, purpose, context));
      const out = new Uint8Array(IV_BYTES + sealed.length);
      out.set(iv);
      out.set(sealed, IV_BYTES);
      return `${FORMAT}.${currentKeyId}.${toBase64Url(out)}`;
    },

    async open(sealed, purpose, context) {
      const id = keyring.keyIdOf(sealed);
      if (id === null) throw decryptionError('The sealed value is not in the totpkit keyring format.');
      if (!raw.has(id)) throw decryptionError(`The sealed value names key "${id}", which is not in the keyring.`);
      let bytes: Uint8Array;
      try {
        bytes = fromBase64(sealed.slice(FORMAT.length + id.length + 2));
      } catch (cause) {
        throw decryptionError('The sealed value is not valid base64url.', cause);
      }
      if (bytes.length < IV_BYTES + 16) throw decryptionError('The sealed value is too short.');
      try {
        const plain = await aead(id).open(
          bytes.subarray(0, IV_BYTES),
          bytes.subarray(IV_BYTES),
          aad(id, purpose, context),
        );
        return decoder.decode(plain);
      } catch (cause) {
        throw decryptionError('The sealed value did not authenticate: wrong key, wrong context or tampering.', cause);
      }
    },

    keyIdOf(sealed) {
      if (typeof sealed !== 'string') return null;
      const parts = sealed.split('.');
      return parts.length === 3 && parts[0] === FORMAT && KEY_ID.test(parts[1]!) ? parts[1]! : null;
    },

    async rotate(sealed, purpose, context) {
      if (keyring.keyIdOf(sealed) === currentKeyId) return sealed;
      return keyring.seal(await keyring.open(sealed, purpose, context), purpose, context);
    },

    async mac(purpose, data, keyId = currentKeyId) {
      if (!raw.has(keyId)) throw decryptionError(`Key "${keyId}" is not in the keyring.`);
      return macFor(keyId, purpose)(encoder.encode(data));
    },
  };
  return Object.freeze(keyring);
}
