/**
 * Text helpers shared by the elements: how keys and codes are shown, typed and sent.
 */

/**
 * The secret key in groups of four characters, the way users copy it into an authenticator app
 * by hand ("JBSW Y3DP EHPK 3PXP"). Spaces are ignored by every app's base32 input.
 */
export function groupKey(secret: string, size = 4): string {
  const compact = secret.replace(/[\s=]/g, '').toUpperCase();
  const groups: string[] = [];
  for (let i = 0; i < compact.length; i += size) groups.push(compact.slice(i, i + size));
  return groups.join(' ');
}

/**
 * A TOTP code as typed or pasted, in the server's canonical form: NFKC (so full-width digits
 * count), then spaces and hyphens dropped. "123 456" and "123-456" both become "123456".
 */
export function normalizeCode(input: string): string {
  return input.normalize('NFKC').replace(/[\s-]/g, '');
}

/** True when a normalised code is exactly `digits` ASCII digits. */
export function isTotpCode(code: string, digits: number): boolean {
  return code.length === digits && /^[0-9]+$/.test(code);
}

/**
 * A recovery code as the user typed it, trimmed and lower-cased. The shape is left to the
 * server, which normalises further: totpkit writes `k7m2q-9xw4t`, other backends their own.
 */
export function normalizeRecoveryCode(input: string): string {
  return input.normalize('NFKC').trim().toLowerCase();
}

/** True when a recovery code is plausible: letters, digits, spaces and hyphens, within limits. */
export function isRecoveryCode(code: string): boolean {
  return /^[\p{L}\p{N}][\p{L}\p{N} -]{3,62}[\p{L}\p{N}]$/u.test(code);
}

/** Seconds as "42 s" or "4:05 min", for the rate-limit countdown. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  if (whole < 60) return `${whole} s`;
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')} min`;
}
