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
