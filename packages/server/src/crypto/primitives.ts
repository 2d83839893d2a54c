/**
 * The two primitives the keyring needs — AES-256-GCM and HMAC-SHA256 under an HKDF-derived key —
 * behind one asynchronous shape, with two interchangeable backends:
 *
 * - node:crypto, found through `process.getBuiltinModule` (Node, Bun, Deno) so that bundlers for
 *   browsers and edge runtimes never see a `node:` import. It is synchronous and about 15× faster
 *   than WebCrypto on Node 20, where each `crypto.subtle` call is a thread-pool round trip
 *   (~60 µs), which would otherwise be most of the cost of a login.
 * - WebCrypto everywhere else (Cloudflare Workers, Vercel Edge, browsers).
 *
 * Both produce the same bytes: iv ‖ ciphertext ‖ 16-byte tag, and HKDF-SHA256(key, salt
 * "totpkit", info) for MAC keys. The tests run both and open one's output with the other.
 */

export interface Aead {
  seal(iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /** Rejects when the tag does not authenticate. */
  open(iv: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
}

export type Mac = (data: Uint8Array) => Promise<Uint8Array>;

export interface CryptoBackend {
  readonly name: 'node:crypto' | 'webcrypto';
  aead(key: Uint8Array): Aead;
  /** HMAC-SHA256 under HKDF-SHA256(key, salt "totpkit", info). */
  mac(key: Uint8Array, info: string): Mac;
}

const TAG_BYTES = 16;
const SALT = new TextEncoder().encode('totpkit');

interface NodeCrypto {
  createCipheriv(alg: string, key: Uint8Array, iv: Uint8Array, options: { authTagLength: number }): NodeCipher;
  createDecipheriv(alg: string, key: Uint8Array, iv: Uint8Array, options: { authTagLength: number }): NodeDecipher;
  createHmac(alg: string, key: Uint8Array): { update(data: Uint8Array): { digest(): Uint8Array } };
  hkdfSync(digest: string, key: Uint8Array, salt: Uint8Array, info: string, length: number): ArrayBuffer;
}
interface NodeCipher {
  setAAD(aad: Uint8Array): void;
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
  getAuthTag(): Uint8Array;
}
interface NodeDecipher {
  setAAD(aad: Uint8Array): void;
  setAuthTag(tag: Uint8Array): void;
  update(data: Uint8Array): Uint8Array;
  final(): Uint8Array;
}

const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function nodeBackend(crypto: NodeCrypto): CryptoBackend {
  return {
    name: 'node:crypto',
    aead: (key) => ({
      async seal(iv, plaintext, aad) {
        const cipher = crypto.createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        cipher.setAAD(aad);
        return concat(cipher.update(plaintext), cipher.final(), cipher.getAuthTag());
      },
      async open(iv, sealed, aad) {
        if (sealed.length < TAG_BYTES) throw new Error('sealed data too short');
        const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(aad);
        decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
        return concat(decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final());
      },
    }),
    mac(key, info) {
      const macKey = new Uint8Array(crypto.hkdfSync('sha256', key, SALT, info, 32));
      return async (data) => new Uint8Array(crypto.createHmac('sha256', macKey).update(data).digest());
    },
  };
}

const webBackend: CryptoBackend = {
  name: 'webcrypto',
  aead(key) {
    const imported = crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [
      'encrypt',
      'decrypt',
    ]);
    return {
      async seal(iv, plaintext, aad) {
        const params = {
          name: 'AES-GCM',
          iv: iv as Uint8Array<ArrayBuffer>,
          additionalData: aad as Uint8Array<ArrayBuffer>,
        };
        return new Uint8Array(
          await crypto.subtle.encrypt(params, await imported, plaintext as Uint8Array<ArrayBuffer>),
        );
      },
      async open(iv, sealed, aad) {
        const params = {
          name: 'AES-GCM',
          iv: iv as Uint8Array<ArrayBuffer>,
          additionalData: aad as Uint8Array<ArrayBuffer>,
        };
        return new Uint8Array(await crypto.subtle.decrypt(params, await imported, sealed as Uint8Array<ArrayBuffer>));
      },
    };
  },
  mac(key, info) {
    const derived = (async () => {
      const base = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, 'HKDF', false, ['deriveKey']);
      return crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: SALT, info: new TextEncoder().encode(info) },
        base,
        { name: 'HMAC', hash: 'SHA-256', length: 256 },
        false,
        ['sign'],
      );
    })();
    return async (data) =>
      new Uint8Array(await crypto.subtle.sign('HMAC', await derived, data as Uint8Array<ArrayBuffer>));
  },
};

/** node:crypto where the runtime has it, WebCrypto elsewhere. */
export const defaultBackend: CryptoBackend = nodeCrypto ? nodeBackend(nodeCrypto) : webBackend;

/** Both backends, for the tests that hold them to the same bytes. */
export const backends = { node: nodeCrypto ? nodeBackend(nodeCrypto) : undefined, web: webBackend };
