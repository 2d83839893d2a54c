// The keyring that encrypts TOTP secrets, kept apart from the data it protects: whoever copies
// DATA_DIR (a backup, a stolen disk) should get ciphertext only.
//
//   TOTPKIT_KEYRING       the keyring as JSON, `{"current":"k1","keys":{"k1":"…"}}`, from a secret manager;
//   TOTPKIT_KEYRING_FILE  or a file holding that JSON, which must not be inside DATA_DIR.
// Without either, outside production, a key is made once and kept in DATA_DIR/keyring.json so the
// demo runs with no setup; that defeats the separation, so it says so loudly at every start.
import { chmodSync, existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { generateEncryptionKey } from '@totpkit/server';

/** A start-up problem worth one line and exit code 1, not a stack trace. */
export class ConfigurationError extends Error {}

/** Whether `file` is `dir` or below it, symbolic links resolved. */
function inside(dir, file) {
  const path = relative(realpathSync(dir), realpathSync(file));
  return !(path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path));
}

function parse(text, source) {
  try {
    const keyring = JSON.parse(text);
    if (keyring && typeof keyring.current === 'string' && keyring.keys && typeof keyring.keys === 'object') {
      return keyring;
    }
  } catch {
    // reported below, without echoing the key material
  }
  throw new ConfigurationError(`${source} is not a keyring: expected {"current":"k1","keys":{"k1":"…"}}.`);
}

/** The keyring, and a warning to print when it is the development default. */
export function loadKeyring({ dataDir, env = process.env }) {
  if (env.TOTPKIT_KEYRING) return { keyring: parse(env.TOTPKIT_KEYRING, 'TOTPKIT_KEYRING') };
  if (env.TOTPKIT_KEYRING_FILE) {
    const file = resolve(env.TOTPKIT_KEYRING_FILE);
    if (!existsSync(file)) throw new ConfigurationError(`TOTPKIT_KEYRING_FILE: ${file} does not exist.`);
    if (inside(dataDir, file)) {
      throw new ConfigurationError(
        'TOTPKIT_KEYRING_FILE must be outside DATA_DIR: a copy of the data would hold its key.',
      );
    }
    return { keyring: parse(readFileSync(file, 'utf8'), 'TOTPKIT_KEYRING_FILE') };
  }
  if (env.NODE_ENV === 'production') {
    throw new ConfigurationError('Set TOTPKIT_KEYRING or TOTPKIT_KEYRING_FILE: NODE_ENV is production.');
  }
  const file = join(dataDir, 'keyring.json');
  if (!existsSync(file)) {
    writeFileSync(file, JSON.stringify({ current: 'k1', keys: { k1: generateEncryptionKey() } }), { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return {
    keyring: parse(readFileSync(file, 'utf8'), file),
    warning:
      `demo: WARNING: the encryption key is in ${file}, beside the data it protects. Fine for trying the ` +
      'demo; anywhere else set TOTPKIT_KEYRING or TOTPKIT_KEYRING_FILE (outside DATA_DIR).',
  };
}
