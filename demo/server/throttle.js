// Password throttling (NIST SP 800-63B §5.2.2, ASVS 5.0 §6.3.1), answered like totpkit answers a
// locked second step: 429 with Retry-After. Two kinds of key, in the demo's SQLite file:
//
// - per account name: five wrong passwords lock that name for a minute, doubling with each lock
//   up to an hour. The attempt is counted before the password is checked, in one transaction, so
//   parallel guesses get no more than five looks; a right password forgets the count. The key is
//   the name as typed (case-folded), whether or not such a user exists, so a 429 tells nothing
//   about which names are real.
// - per client address: 20 failures in 5 minutes, across any names, lock the address for 5
//   minutes, doubling up to an hour. It slows password spraying (one guess at each of many
//   names), which the per-name count cannot see. It counts failures only, and a success does not
//   clear it: signing into one's own account buys no more guesses at others.
//
// Anyone who knows a name can lock it (malicious lockout, ASVS 5.0 §6.1.1), so the locks are short,
// grow slowly and never become permanent; a production app adds a hard limit with an unlock path
// (docs/getting-started.md, "What the demo leaves out").
export const NAME_POLICY = { maxFailures: 5, windowSeconds: 900, lockSeconds: 60, maxLockSeconds: 3600 };
export const ADDRESS_POLICY = { maxFailures: 20, windowSeconds: 300, lockSeconds: 300, maxLockSeconds: 3600 };

export function createThrottle(db, { now = Date.now } = {}) {
  db.exec(`CREATE TABLE IF NOT EXISTS demo_throttle (
    key TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    window_failures INTEGER NOT NULL,
    locks INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
  )`);
  const get = db.prepare('SELECT * FROM demo_throttle WHERE key = ?');
  const put = db.prepare(
    `INSERT OR REPLACE INTO demo_throttle (key, window_start, window_failures, locks, locked_until)
     VALUES (@key, @window_start, @window_failures, @locks, @locked_until)`,
  );
  const remove = db.prepare('DELETE FROM demo_throttle WHERE key = ?');
  // Records idle for a day hold no lock and no window worth keeping.
  const sweep = db.prepare('DELETE FROM demo_throttle WHERE locked_until < ? AND window_start < ?');

  const lockedFor = (row, at) => (row && row.locked_until > at ? Math.ceil((row.locked_until - at) / 1000) : 0);

  /** Refused while locked; otherwise one more failure, which may start a lock. One transaction. */
  const countOnce = db.transaction((key, policy) => {
    const at = now();
    const row = get.get(key);
    const retryAfterSeconds = lockedFor(row, at);
    if (retryAfterSeconds) return { allowed: false, retryAfterSeconds };
    const next = row ?? { key, window_start: at, window_failures: 0, locks: 0, locked_until: 0 };
    if (at - next.window_start >= policy.windowSeconds * 1000) {
      next.window_start = at;
      next.window_failures = 0;
    }
    next.window_failures += 1;
    if (next.window_failures >= policy.maxFailures) {
      next.locked_until = at + Math.min(policy.lockSeconds * 2 ** next.locks, policy.maxLockSeconds) * 1000;
      next.locks += 1;
      next.window_failures = 0;
    }
    put.run(next);
    return { allowed: true };
  });
  // BEGIN IMMEDIATE: the read and the write hold the file's write lock together.
  const count = (key, policy) => countOnce.immediate(key, policy);

  const nameKey = (username) => `name:${String(username).trim().toLowerCase()}`;
  const addressKey = (req) => `ip:${req.ip}`;
  const addressLock = (req) => lockedFor(get.get(addressKey(req)), now());

  return {
    /** Before checking a password for `username`: may it be checked? Counts it against the name. */
    attempt(req, username) {
      const retryAfterSeconds = addressLock(req);
      if (retryAfterSeconds) return { allowed: false, retryAfterSeconds };
      return count(nameKey(username), NAME_POLICY);
    },
    /** After the check: a right password forgets the name's failures; a wrong one counts on the address. */
    settle(req, username, correct) {
      if (correct) remove.run(nameKey(username));
      else count(addressKey(req), ADDRESS_POLICY);
      const at = now();
      sweep.run(at, at - 24 * 3600_000);
    },
    /** Sign-up: refused while the address is locked. */
    signupAllowed(req) {
      const retryAfterSeconds = addressLock(req);
      return retryAfterSeconds ? { allowed: false, retryAfterSeconds } : { allowed: true };
    },
    /** Sign-up with a taken name counts on the address, so names cannot be listed quickly. */
    failedSignup: (req) => count(addressKey(req), ADDRESS_POLICY),
  };
}
