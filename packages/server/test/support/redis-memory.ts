/**
 * Redis `used_memory` (INFO memory), the figure the flood test and the scale benchmark report and
 * bound. On a redis-server of the run's own it counts that run's keys and nothing else.
 */
import { Redis } from 'ioredis';

/** Bytes Redis reports in use at `url` right now. */
export async function redisUsedMemory(url: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  try {
    await redis.connect();
    const info = await redis.info('memory');
    const match = /^used_memory:(\d+)/m.exec(info);
    if (!match) throw new Error('INFO memory has no used_memory line');
    return Number(match[1]);
  } finally {
    redis.disconnect();
  }
}
