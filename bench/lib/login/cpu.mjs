// CPU time of the processes a login runs in, besides the server's own (child.mjs): the PostgreSQL
// backends that serve one server's connections, and a Redis server.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ, what /proc/<pid>/stat counts in on Linux

/**
 * A process's CPU time in nanoseconds: /proc/<pid>/schedstat (nanosecond resolution) where the
 * kernel has it, else utime + stime of /proc/<pid>/stat (10 ms ticks). Null once it has exited.
 */
export function processCpuNs(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    try {
      // The fields after the command name, which is in parentheses and may hold spaces.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1e9) / TICKS_PER_SECOND;
    } catch {
      return null;
    }
  }
}

/** Each backend connected with `applicationName` → its CPU time so far, in ns. */
export async function postgresBackendsCpu(admin, applicationName) {
  const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
  return new Map(rows.map(({ pid }) => [pid, processCpuNs(pid)]));
}

/**
 * CPU spent between two snapshots of `postgresBackendsCpu`. A backend that appears only in the
 * second counts from its start; one that has gone loses its last stretch, so it is reported.
 */
export function postgresCpuDelta(before, after) {
  let ns = 0;
  let gone = 0;
  for (const [pid, end] of after) {
    if (end !== null) ns += end - (before.get(pid) ?? 0);
  }
  for (const pid of before.keys()) if (!after.has(pid)) gone++;
  return { ns, backends: after.size, gone };
}

/** used_cpu_sys + used_cpu_user of `INFO cpu`, in ns: all of the Redis server's threads. */
export async function redisCpuNs(redis) {
  const info = await redis.info('cpu');
  const field = (name) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return (field('used_cpu_sys') + field('used_cpu_user')) * 1e9;
}
