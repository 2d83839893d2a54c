/**
 * Mutation tests of the conformance kit: the correct backend passes every check, and each fault of
 * mutants/faults.ts, switched on alone, fails at least the check built to catch it. The table of
 * which checks caught which fault is printed, so CI shows it; a probe that catches nothing, or a
 * fault that no probe catches, fails the test.
 */

import { type ConformanceReport, runConformance } from '@totpkit/protocol/conformance';
import type { TotpHandlerOptions } from '@totpkit/server/http';
import { afterAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, CSRF_TOKEN, FAULTS, type Fault } from './mutants/faults.js';
import { stagedHeaders, stagedUser } from './staged-sessions.js';
import { newSession, startBackend } from './support.js';

const correct: Partial<TotpHandlerOptions> = {
  getUser: stagedUser,
  csrf: { header: CSRF_HEADER, verify: (_request, token) => token === CSRF_TOKEN },
};

async function runAgainst(fault: Fault | null): Promise<ConformanceReport> {
  const backend = await startBackend('node', {
    handler: { ...correct, ...fault?.handler?.(correct) },
    ...(fault?.wrap ? { wrap: fault.wrap } : {}),
  });
  try {
    return await runConformance({
      baseUrl: backend.baseUrl,
      ...stagedHeaders(newSession().cookie),
      csrfHeaders: { [CSRF_HEADER]: CSRF_TOKEN },
      clock: backend.clock,
    });
  } finally {
    await backend.close();
  }
}

const rows: string[] = [];
afterAll(() => {
  console.log(`\nThe conformance kit against one fault at a time:\n${rows.join('\n')}\n`);
});

describe('the conformance kit, mutation-tested', () => {
  it('passes the correct backend: no check fails or is skipped', async () => {
    const report = await runAgainst(null);
    expect(report.results.filter((result) => !result.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    rows.push(`  (none) → ${report.passed} passed, 0 failed, 0 skipped`);
  });

  it.each(FAULTS.map((fault) => [fault.name, fault] as const))('catches: %s', async (_name, fault) => {
    const report = await runAgainst(fault);
    const caught = report.results.filter((result) => result.outcome === 'fail').map((result) => result.name);
    rows.push(`  ${fault.name}\n      → ${caught.length} failed: ${caught.join(' | ')}`);
    expect(report.ok).toBe(false);
    expect(caught).toContain(fault.probe);
  });

  it('has a fault for every probe it claims', () => {
    expect(new Set(FAULTS.map((fault) => fault.probe)).size).toBe(FAULTS.length);
  });
});
