/**
 * The runtime matrix: the same checks (checks/shared.mjs) under Bun, Deno and workerd, each from
 * its npm package. Inside the runtime: the RFC vectors of the core and the service lifecycle
 * (enrol, activate, verify, replay refused, recovery code, deactivate) on the memory store and,
 * under Bun and Deno, on SQLite (bun:sqlite, node:sqlite). Over real HTTP from here: the Fetch
 * handler served by the runtime (Bun.serve, Deno.serve, a workerd socket, each on port 0) passes
 * the protocol conformance kit, with the kit's clock driving the server's.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Clock, runConformance } from '@totpkit/protocol/conformance';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, probe, runtimesDir, type Started, start, warnSkipped } from './runtime.js';

/** What a runtime prints (or workerd's `/__checks` answers) once its in-runtime checks passed. */
interface Printed {
  runtime: string;
  /** RFC vectors that matched. */
  core: number;
  /** Lifecycle steps that passed, on each store. */
  memory: string[];
  sqlite?: string[];
  /** Bun only: what `SqliteStore({ filename })` throws there. */
  filename?: string;
  /** The server's virtual clock, in milliseconds. */
  now: number;
}

const LIFECYCLE = [
  'enroll and activate',
  'status active',
  'verify',
  'replay refused',
  'recovery code',
  'recovery code only once',
  'deactivate',
];
/** RFC 4226 Appendix D (10) and RFC 6238 Appendix B (18). */
const RFC_VECTORS = 28;

/** The conformance kit's clock, moving the server's with it (`POST /__clock`) instead of sleeping. */
function remoteClock(origin: string, start: number): Clock {
  let now = start;
  return {
    now: () => now,
    async sleep(ms) {
      now += ms;
      const response = await fetch(`${origin}/__clock`, { method: 'POST', body: JSON.stringify({ now }) });
      expect(response.status).toBe(200);
    },
  };
}

/** Runs the conformance kit against the handler at `origin`/mfa; returns how many checks passed. */
async function conformance(origin: string, now: number): Promise<number> {
  // The sessions checks/shared.mjs knows: signed in, and pending its second factor (protocol §2.4).
  const sessions = {
    headers: { Cookie: 'session=conformance' },
    pendingHeaders: { Cookie: 'session=conformance-pending' },
  };
  const report = await runConformance({ baseUrl: `${origin}/mfa`, ...sessions, clock: remoteClock(origin, now) });
  expect(report.results.filter((result) => !result.ok)).toEqual([]);
  expect(report.passed).toBeGreaterThan(60);
  return report.passed;
}

const summary: string[] = [];
afterAll(() => {
  if (summary.length > 0) console.log(`\nRuntime matrix:\n${summary.map((line) => `  ${line}`).join('\n')}\n`);
});

/** `describe` for one runtime, skipped loudly when its binary cannot run here. */
function describeRuntime(name: string, body: () => void) {
  const found = probe(name);
  if ('reason' in found) {
    warnSkipped(name, found.reason);
    return describe.skip(name, body);
  }
  return describe(`${name} ${found.version}`, body);
}

for (const { name, args, sqlite } of [
  { name: 'bun', args: ['checks/bun.mjs'], sqlite: 'bun:sqlite' },
  {
    name: 'deno',
    args: [
      'run',
      '--allow-read',
      '--allow-write',
      '--allow-env',
      '--allow-sys',
      '--allow-net=127.0.0.1',
      'checks/deno.mjs',
    ],
    sqlite: 'node:sqlite',
  },
]) {
  describeRuntime(name, () => {
    it(`runs the core, the lifecycle on memory and ${sqlite}, and serves the handler over HTTP`, async () => {
      const runtime: Started<Printed & { port: number }> = start(bin(name), args);
      try {
        const printed = await runtime.ready;
        expect(printed).toMatchObject({ core: RFC_VECTORS, memory: LIFECYCLE, sqlite: LIFECYCLE });
        // Bun cannot load better-sqlite3: the store says what to pass instead.
        if (name === 'bun')
          expect(printed.filename).toMatch(/better-sqlite3, which could not be loaded here.*bun:sqlite/);
        const passed = await conformance(`http://127.0.0.1:${printed.port}`, printed.now);
        summary.push(
          `${printed.runtime}: core ${printed.core} RFC vectors; lifecycle ${LIFECYCLE.length}/${LIFECYCLE.length} ` +
            `on memory and ${sqlite}; Fetch handler on ${name === 'bun' ? 'Bun.serve' : 'Deno.serve'} ` +
            `(${sqlite} store): ${passed} conformance checks`,
        );
      } finally {
        expect(await runtime.stop()).toBe(0);
      }
    });
  });
}

describeRuntime('workerd', () => {
  const dir = mkdtempSync(join(tmpdir(), 'totpkit-workerd-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the core and the lifecycle on memory, and serves the handler over HTTP, from an esbuild bundle', async () => {
    // The worker as an app would deploy it: one ES module bundled from the packages' built ESM.
    await build({
      entryPoints: [join(runtimesDir, 'checks/worker.mjs')],
      outfile: join(dir, 'worker.js'),
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['module', 'main'],
      logLevel: 'warning',
    });
    copyFileSync(join(runtimesDir, 'checks/workerd.capnp'), join(dir, 'workerd.capnp'));
    const args = ['serve', join(dir, 'workerd.capnp'), '--socket-addr', 'http=127.0.0.1:0', '--control-fd', '3'];
    const runtime: Started<{ event: string; port: number }> = start(bin('workerd'), args, 3);
    try {
      const listening = await runtime.ready;
      expect(listening).toMatchObject({ event: 'listen', socket: 'http' });
      const origin = `http://127.0.0.1:${listening.port}`;
      const printed = (await (await fetch(`${origin}/__checks`)).json()) as Printed;
      expect(printed).toMatchObject({ core: RFC_VECTORS, memory: LIFECYCLE });
      const passed = await conformance(origin, printed.now);
      summary.push(
        `workerd: core ${printed.core} RFC vectors; lifecycle ` +
          `${LIFECYCLE.length}/${LIFECYCLE.length} on memory; Fetch handler on a workerd socket (memory store): ` +
          `${passed} conformance checks`,
      );
    } finally {
      await runtime.stop();
    }
  });
});
