/**
 * The demo put together in the test process (server/demo.js, as main.js does) and served over
 * real HTTP, with a clock the test moves: idle and absolute timeouts, reauthentication windows and
 * lock lengths are checked without waiting for them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { totpCode } from '@totpkit/server';
import { createDemo } from '../../server/demo.js';
import { PASSWORD, uniqueUsername } from './flows.js';
import { Client, serve } from './http.js';

export interface InProcessDemo {
  url: string;
  dataDir: string;
  /** The demo's SQLite file. */
  sqliteFile: string;
  /** What the demo logged as errors. */
  logged: unknown[][];
  /** Moves the demo's clock forward. */
  advance(ms: number): void;
  now(): number;
  client(headers?: Record<string, string>): Client;
  stop(): Promise<void>;
}

export async function startInProcess(env: Record<string, string> = {}): Promise<InProcessDemo> {
  const dataDir = mkdtempSync(join(tmpdir(), 'totpkit-demo-clock-'));
  let clock = Date.now();
  const logged: unknown[][] = [];
  const demo = await createDemo({ dataDir, env, now: () => clock, log: (...args: unknown[]) => logged.push(args) });
  const server = await serve(demo.app);
  return {
    url: server.url,
    dataDir,
    sqliteFile: join(dataDir, 'demo.sqlite'),
    logged,
    advance: (ms) => {
      clock += ms;
    },
    now: () => clock,
    client: (headers = {}) => new Client(server.url, headers),
    async stop() {
      await server.stop();
      await demo.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs a new user up; the client holds the complete session. */
export async function signUpClient(client: Client, username = uniqueUsername()): Promise<string> {
  const response = await client.form('/signup', { username, password: PASSWORD });
  if (response.status !== 303) throw new Error(`sign-up answered ${response.status}`);
  return username;
}

/** Turns TOTP on through the protocol at the demo's clock; resolves with the secret. */
export async function enrol(client: Client, now: number): Promise<string> {
  const setup = await (await client.mfa('/totp/setup', {})).json();
  const activated = await client.mfa('/totp/activate', {
    enrollmentToken: setup.enrollmentToken,
    code: totpCode(setup.secret, { time: now / 1000 }),
  });
  if (activated.status !== 200) throw new Error(`activation answered ${activated.status}`);
  return setup.secret as string;
}
