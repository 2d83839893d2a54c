/**
 * Mutation tests of the conformance kit: the correct backend passes every check, and each fault of
 * mutants/faults.ts and mutants/features.ts, switched on alone, fails at least the check built to catch it. The table of
 * which checks caught which fault is printed, so CI shows it; a probe that catches nothing, or a
 * fault that no probe catches, fails the test.
 */

import { type ConformanceReport, runConformance } from '@totpkit/protocol/conformance';
import type { TotpHandlerOptions } from '@totpkit/server/http';
import { afterAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, CSRF_TOKEN, FAULTS, type Fault } from './mutants/faults.js';
import { FEATURE_FAULTS, type FeatureFault, FRESH_COOKIE } from './mutants/features.js';
import { stagedHeaders, stagedUser } from './staged-sessions.js';
import { newSession, startBackend } from './support.js';

const correct: Partial<TotpHandlerOptions> = {
  getUser: stagedUser,
  csrf: { header: CSRF_HEADER, verify: (_request, token) => token === CSRF_TOKEN },
};

async function runAgainst(
  fault: Pick<FeatureFault, 'wrap' | 'handler' | 'totpkit'> | null,
  features: FeatureOptions = EVERY_FEATURE,
): Promise<ConformanceReport> {
  const backend = await startBackend('node', {
    totpkit: { ...features, ...fault?.totpkit },
    handler: { ...correct, ...fault?.handler?.(correct) },
    ...(fault?.wrap ? { wrap: fault.wrap } : {}),
  });
  try {
    const { cookie } = newSession();
    return await runConformance({
      baseUrl: backend.baseUrl,
      ...stagedHeaders(cookie),
      // A session that reauthenticated a moment ago, apart from the signed-in one: rule 5's probe
      // sends the signed-in one, which a backend that ignores the rule refuses.
      reauthHeaders: { Cookie: `${cookie}; ${FRESH_COOKIE}` },
      csrfHeaders: { [CSRF_HEADER]: CSRF_TOKEN },
      clock: backend.clock,
    });
  } finally {
    await backend.close();
  }
}

type FeatureOptions = { trustedBrowsers: boolean; codeReauthentication: boolean };
/** Every feature on, so that the kit's steps for them run and their faults can be caught. */
const EVERY_FEATURE: FeatureOptions = { trustedBrowsers: true, codeReauthentication: true };

/** A backend from before the features: status without `features`, and their paths unknown (404). */
const olderBackend: Pick<Fault, 'wrap'> = {
  wrap: (inner) => async (request) => {
    const response = await inner(request);
    if (!new URL(request.url).pathname.endsWith('/status') || response.status !== 200 || request.method !== 'GET') {
      return response;
    }
    const { features: _dropped, ...body } = await response.json();
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(body), { status: 200, headers });
  },
};

const rows: string[] = [];
afterAll(() => {
  console.log(`\nThe conformance kit against one fault at a time:\n${rows.join('\n')}\n`);
});

describe('the conformance kit, mutation-tested', () => {
  it('passes the correct backend: no check fails or is skipped', async () => {
    const report = await runAgainst(null);
    expect(report.results.filter((result) => !result.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.notOffered).toEqual([]);
    expect(report.results.some((result) => result.stepName === 'trusted browsers' && result.ok)).toBe(true);
    rows.push(`  (none) → ${report.passed} passed, 0 failed, 0 skipped`);
  });

  it('passes an older backend without the features, and reports them as not offered, not skipped', async () => {
    const report = await runAgainst(olderBackend, { trustedBrowsers: false, codeReauthentication: false });
    expect(report.results.filter((result) => !result.ok)).toEqual([]);
    expect(report).toMatchObject({ ok: true, failed: 0, skipped: 0 });
    expect(report.notOffered.map(({ feature, reason }) => [feature, reason])).toEqual([
      ['codeReauthentication', 'status has no features (an older backend)'],
      ['trustedBrowsers', 'status has no features (an older backend)'],
    ]);
  });

  const faults: FeatureFault[] = [...FAULTS, ...FEATURE_FAULTS];
  it.each(faults.map((fault) => [fault.name, fault] as const))('catches: %s', async (_name, fault) => {
    const report = await runAgainst(fault);
    const caught = report.results.filter((result) => result.outcome === 'fail').map((result) => result.name);
    rows.push(`  ${fault.name}\n      → ${caught.length} failed: ${caught.join(' | ')}`);
    expect(report.ok).toBe(false);
    expect(caught).toContain(fault.probe);
  });

  it('has a fault for every probe it claims', () => {
    expect(new Set(faults.map((fault) => fault.probe)).size).toBe(faults.length);
  });
});
