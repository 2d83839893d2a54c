/**
 * The pending enrollment travels to the browser and back as an AES-256-GCM sealed token, so the
 * server keeps no session state between setup and activation and the client never sees inside
 * it (a signed but readable JWS would leak the secret: CVE-2026-45091). It is bound to the user
 * (the user id is the authenticated context), expires after at most ten minutes, and carries a
 * random id that the service claims once in the replay cache.
 */
import type { TotpAlgorithm } from '../core/index.js';
import { toBase64Url } from './base64url.js';
import type { Keyring } from './keyring.js';

export const MAX_ENROLLMENT_SECONDS = 600;

export interface EnrollmentPayload {
  /** Random single-use id. */
  id: string;
  userId: string;
  secret: string;
  algorithm: TotpAlgorithm;
  digits: number;
  period: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export function newEnrollmentId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

export function sealEnrollmentToken(keyring: Keyring, payload: EnrollmentPayload): Promise<string> {
  return keyring.seal(JSON.stringify(payload), 'enrollment-token', payload.userId);
}

/**
 * Opens a token for `userId` at `now` (ms). Resolves null for anything unusable: another user's
 * token, an expired one, a tampered or truncated one, one sealed under a key not in the keyring.
 * The caller still has to claim `id` to make it single-use.
 */
export async function openEnrollmentToken(
  keyring: Keyring,
  token: unknown,
  userId: string,
  now: number,
): Promise<EnrollmentPayload | null> {
  if (typeof token !== 'string') return null;
  let payload: EnrollmentPayload;
  try {
    payload = JSON.parse(await keyring.open(token, 'enrollment-token', userId));
  } catch {
    return null;
  }
  if (payload.userId !== userId || typeof payload.expiresAt !== 'number' || payload.expiresAt <= now) return null;
  return payload;
}
