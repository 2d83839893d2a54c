/**
 * A Lua script run by hash (EVALSHA), falling back to EVAL when the server does not know it yet:
 * after a restart, a `SCRIPT FLUSH`, or on a replica promoted since. The script is then cached by
 * the server, so later calls send only the hash.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script and its SHA-1, as Redis names it. */
export class RedisScript {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script atomically on `client` with these keys and arguments. */
  async run(client: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return client.eval(this.#source, keys.length, ...keys, ...args);
    }
  }
}
