/**
 * Access to the real PostgreSQL and Redis for tests.
 *
 * Where a service is missing, its tests are skipped with a loud warning — unless
 * TOTPKIT_REQUIRE_SERVICES=1 (set by .ci/run), in which case one failing test says which service
 * is missing. Every test run works in its own PostgreSQL schema and its own Redis key prefix, so
 * parallel runs (and other developers' runs) never see each other's data.
 */
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { describe, it } from 'vitest';

export const POSTGRES_URL = process.env.TOTPKIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TOTPKIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const servicesRequired = process.env.TOTPKIT_REQUIRE_SERVICES === '1';

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(Number(port || defaultPort), hostname, () => done(true));
  });
}

export const postgresAvailable = await reachable(POSTGRES_URL, 5432);
export const redisAvailable = await reachable(REDIS_URL, 6379);

const SERVICES = {
  PostgreSQL: { available: postgresAvailable, url: POSTGRES_URL },
  Redis: { available: redisAvailable, url: REDIS_URL },
};

/** `describe` for tests that need every one of `services`. */
export function describeWithServices(services: (keyof typeof SERVICES)[], name: string, body: () => void) {
  const missing = services.filter((service) => !SERVICES[service].available);
  if (missing.length === 0) return describe(name, body);
  const where = missing.map((service) => `${service} at ${SERVICES[service].url}`).join(' and ');
  if (servicesRequired) {
    return describe(name, () => {
      it(`needs ${where}`, () => {
        throw new Error(`${where} not reachable, and TOTPKIT_REQUIRE_SERVICES=1 makes them required.`);
      });
    });
  }
  console.warn(`\n⚠️  ${where} not reachable: SKIPPING "${name}". Start it to run these tests.\n`);
  return describe.skip(name, body);
}

/** `describe` for tests that need the real PostgreSQL. */
export const describeWithPostgres = (name: string, body: () => void) =>
  describeWithServices(['PostgreSQL'], name, body);
/** `describe` for tests that need the real Redis. */
export const describeWithRedis = (name: string, body: () => void) => describeWithServices(['Redis'], name, body);

/** A name no other run will use, for a schema or a key prefix. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** A PostgreSQL connection string whose search_path is a fresh schema of its own. */
export function postgresUrlWithSchema(schema: string): string {
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}
