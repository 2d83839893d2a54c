/**
 * A `RateLimiter` in Redis, shared by every instance of an app, so an attacker gets `maxFailures`
 * guesses per account and not per instance (RFC 4226 §7.3: lockout "across login sessions").
 *
 * Each account is one hash; its budget entries are one comma-separated field of it, so one key,
 * one script and one TTL hold the whole record. One Lua script applies `recordAttempt`,
 * `recordSuccess` and `recordOutcome` from `policy.ts` to it, which Redis runs atomically, so
 * concurrent failures are never lost (checklist item 13). `settle` is one round trip for the usual
 * login: one EVALSHA, or one EXISTS for a right code on an account with no record. The rules live
 * in the script once: a wrong code settled is the very same count as an attempt, and a right one
 * the same clearing as a success. The script
 * returns the record and the time it used; `stateOf` from `policy.ts` then derives the answer in
 * JavaScript, so both halves of the rules exist once for reads and are mirrored once, line by
 * line, for the write. The shared rate-limiter suite holds this and the memory limiter to the
 * same behaviour.
 *
 * Time comes from the Redis server (`TIME`) unless a `now` is injected, so instances whose clocks
 * disagree still agree on when a lock ends (OWASP ASVS 5.0 6.5.8: trusted server time).
 */
import { RedisConnection, type RedisConnectionOptions } from '../redis/connection.js';
import { RedisScript } from '../redis/script.js';
import { decodeGuesses, EMPTY_RECORD, type RateLimitRecord, resolvePolicy, rulesOf, stateOf } from './policy.js';
import type { AttemptKind, RateLimitAttempt, RateLimiter, RateLimitPolicy, RateLimitState } from './types.js';

/** Options of `RedisRateLimiter`. */
export interface RedisRateLimiterOptions extends RedisConnectionOptions {
  /** Overrides of `DEFAULT_RATE_LIMIT_POLICY`. */
  policy?: Partial<RateLimitPolicy>;
  /** Clock in milliseconds, for tests. Default: the Redis server's clock. */
  now?: () => number;
}

/**
 * KEYS[1]: the key's hash. ARGV: mode ('check' | 'attempt' | 'succeed' | 'settle'), now in ms
 * ('' = Redis TIME), maxFailures, windowSeconds, lockSeconds, maxLockSeconds, hardLimit, retainMs,
 * lockout (1/0), budget max (0 = no budget), budget window in ms, then for 'succeed' the
 * attempt's time and for 'settle' 1 when the code was right, 0 when wrong. Returns now, the
 * record after the operation, whether the attempt was allowed (1/0) and the budget entries, as
 * strings so no digit is lost.
 */
const SCRIPT = new RedisScript(`
local key = KEYS[1]
local now = tonumber(ARGV[2])
if not now then
  -- Redis before 5 refuses writes after a non-deterministic command unless effects are replicated.
  if redis.replicate_commands then redis.replicate_commands() end
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local maxFailures, windowSeconds = tonumber(ARGV[3]), tonumber(ARGV[4])
local lockSeconds, maxLockSeconds = tonumber(ARGV[5]), tonumber(ARGV[6])
local hardLimit, retainMs = tonumber(ARGV[7]), ARGV[8]
local lockout, budgetMax, budgetWindowMs = ARGV[9] == '1', tonumber(ARGV[10]), tonumber(ARGV[11])

local r = redis.call('HMGET', key, 'failures', 'windowStart', 'windowFailures', 'locks', 'lockedUntil', 'guesses')
local failures, windowStart = tonumber(r[1]) or 0, tonumber(r[2]) or 0
local windowFailures, locks, lockedUntil = tonumber(r[3]) or 0, tonumber(r[4]) or 0, tonumber(r[5]) or 0
-- liveGuesses(): the budget entries made less than the window ago ('succeed' keeps them all).
local guesses = {}
for entry in string.gmatch(r[6] or '', '[^,]+') do
  local at = tonumber(entry)
  if at and (ARGV[1] == 'succeed' or (budgetMax > 0 and now - at < budgetWindowMs)) then
    guesses[#guesses + 1] = at
  end
end

local function str(n) return string.format('%.17g', n) end
local function joined()
  local parts = {}
  for i, at in ipairs(guesses) do parts[i] = str(at) end
  return table.concat(parts, ',')
end
local function save()
  redis.call('HSET', key, 'failures', str(failures), 'windowStart', str(windowStart),
    'windowFailures', str(windowFailures), 'locks', str(locks), 'lockedUntil', str(lockedUntil),
    'guesses', joined())
  -- isPermanent(): only reset() lifts a lock at hardLimit, so no TTL may forget it.
  if failures >= hardLimit then redis.call('PERSIST', key) else redis.call('PEXPIRE', key, retainMs) end
end

-- recordAttempt()'s count of one attempt (recordFailure() and the budget entry), then save().
local function count()
  if lockout then
    -- recordFailure():
    failures = failures + 1
    if now - windowStart >= windowSeconds * 1000 or windowFailures == 0 then
      windowStart = now
      windowFailures = 0
    end
    windowFailures = windowFailures + 1
    if windowFailures >= maxFailures then
      local lockMs = math.min(lockSeconds * 2 ^ locks, maxLockSeconds) * 1000
      locks = locks + 1
      lockedUntil = now + lockMs
      windowFailures = 0
    end
  end
  if budgetMax > 0 then guesses[#guesses + 1] = now end
  save()
end

-- recordOutcome() for a right code: the lockout forgets, the budget keeps every earlier entry.
-- A record left with nothing live is deleted, and one that would be written unchanged is not
-- written at all, so the usual login (no failures before it) makes no write.
local function clear()
  local clean = failures == 0 and windowStart == 0 and windowFailures == 0 and locks == 0 and lockedUntil == 0
  failures, windowStart, windowFailures, locks, lockedUntil = 0, 0, 0, 0, 0
  if #guesses == 0 then
    if r[1] or r[6] then redis.call('DEL', key) end
  elseif not clean or joined() ~= r[6] then
    save()
  end
end

local allowed = 0
if ARGV[1] == 'attempt' or ARGV[1] == 'settle' then
  -- recordAttempt() and recordOutcome() in policy.ts: refused and unchanged while locked or spent.
  local locked = lockout and (failures >= hardLimit or lockedUntil - now > 0)
  local spent = budgetMax > 0 and #guesses >= budgetMax
  if not locked and not spent then
    allowed = 1
    if ARGV[1] == 'settle' and ARGV[12] == '1' then clear() else count() end
  end
elseif ARGV[1] == 'succeed' and redis.call('EXISTS', key) == 1 then
  -- recordSuccess(): the lockout forgets, the budget loses only this attempt's own entry.
  local attemptAt = tonumber(ARGV[12])
  for i, at in ipairs(guesses) do
    if at == attemptAt then table.remove(guesses, i) break end
  end
  failures, windowStart, windowFailures, locks, lockedUntil = 0, 0, 0, 0, 0
  if #guesses == 0 then redis.call('DEL', key) else save() end
end
return { str(now), str(failures), str(windowStart), str(windowFailures), str(locks), str(lockedUntil), str(allowed), joined() }
`);

/**
 * Accounts live under `<keyPrefix>ratelimit:<key>`, each kept `retainSeconds` after its last
 * counted attempt, except a lock at `hardLimit`, which has no TTL.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #connection: RedisConnection;
  readonly #policy: RateLimitPolicy;
  readonly #now: (() => number) | undefined;

  constructor(options: RedisRateLimiterOptions) {
    this.#connection = new RedisConnection(options, 'RedisRateLimiter');
    this.#policy = resolvePolicy(options.policy);
    this.#now = options.now;
  }

  async check(key: string, kind: AttemptKind = 'totp'): Promise<RateLimitState> {
    const { allowed: _, at: __, ...state } = await this.#run('check', key, kind);
    return state;
  }

  async attempt(key: string, kind: AttemptKind = 'totp'): Promise<RateLimitAttempt> {
    return this.#run('attempt', key, kind);
  }

  async succeed(key: string, attemptAt: number): Promise<void> {
    await this.#run('succeed', key, 'totp', attemptAt);
  }

  /**
   * `recordOutcome` atomically: refused while locked or spent, else counted (wrong) or cleared
   * (right), by one EVALSHA. A right code on an account with no record, the usual login, is
   * decided by one EXISTS instead, which costs Redis about a third less CPU than the script
   * (bench/README.md): there is nothing to refuse and nothing to clear, as the script would find.
   * A record that a wrong code writes meanwhile is one this success came before. A right code on
   * an account with any record is EXISTS, then the script.
   */
  async settle(key: string, kind: AttemptKind, ok: boolean): Promise<RateLimitAttempt> {
    if (ok) {
      const client = await this.#connection.ready();
      if ((await client.exists(this.keyOf(key))) === 0) {
        // Nothing was recorded, so no lock can depend on this time: the local clock will do.
        const at = this.#now ? Math.floor(this.#now()) : Date.now();
        return { ...stateOf(EMPTY_RECORD, at, this.#policy, kind), allowed: true, at };
      }
    }
    return this.#run('settle', key, kind, ok ? 1 : 0);
  }

  async reset(key: string): Promise<void> {
    const client = await this.#connection.ready();
    await client.del(this.keyOf(key));
  }

  /** The Redis key that holds the record of `key`; for tests and operators. */
  keyOf(key: string): string {
    return `${this.#connection.keyPrefix}ratelimit:${key}`;
  }

  /** Closes the connection if this limiter opened it. */
  async close(): Promise<void> {
    await this.#connection.close();
  }

  async #run(
    mode: 'check' | 'attempt' | 'succeed' | 'settle',
    key: string,
    kind: AttemptKind,
    /** 'succeed': the attempt's time; 'settle': 1 for a right code, 0 for a wrong one. */
    extra = 0,
  ): Promise<RateLimitAttempt> {
    const policy = this.#policy;
    const rules = rulesOf(kind, policy);
    const client = await this.#connection.ready();
    const reply = await SCRIPT.run(
      client,
      [this.keyOf(key)],
      [
        mode,
        this.#now ? String(Math.floor(this.#now())) : '',
        policy.maxFailures,
        policy.windowSeconds,
        policy.lockSeconds,
        policy.maxLockSeconds,
        policy.hardLimit,
        Math.max(1, Math.ceil(policy.retainSeconds * 1000)),
        rules.lockout ? 1 : 0,
        rules.budget?.max ?? 0,
        rules.budget?.windowMs ?? 0,
        String(extra),
      ],
    );
    const { now, record, allowed } = parseReply(reply);
    return { ...stateOf(record, now, policy, kind), allowed, at: now };
  }
}

function parseReply(reply: unknown): { now: number; record: RateLimitRecord; allowed: boolean } {
  const values = Array.isArray(reply) ? reply.slice(0, 7).map(Number) : [];
  const guesses = Array.isArray(reply) ? reply[7] : undefined;
  if (values.length !== 7 || values.some((value) => !Number.isFinite(value)) || typeof guesses !== 'string') {
    throw new Error('RedisRateLimiter: unexpected reply from the rate-limit script.');
  }
  const [now, failures, windowStart, windowFailures, locks, lockedUntil, allowed] = values as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    now,
    record: { failures, windowStart, windowFailures, locks, lockedUntil, guesses: decodeGuesses(guesses) },
    allowed: allowed === 1,
  };
}
