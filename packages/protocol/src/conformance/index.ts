/**
 * @totpkit/protocol/conformance: checks any backend (Node, Django, Rails, Go) against protocol v1.
 * Node-only (it computes TOTP codes with node:crypto); the CLI is `totpkit-conformance`.
 *
 * @example
 * const report = await runConformance({ baseUrl: 'http://127.0.0.1:3000/mfa', headers: { Cookie: 'session=…' } });
 * if (!report.ok) console.log(report.results.filter((r) => !r.ok));
 */
export type { Exchange, FetchFunction } from './client.js';
export type { Clock } from './context.js';
export {
  type CheckResult,
  type FeatureName,
  formatNotOffered,
  formatResult,
  formatSummary,
  type NotOffered,
} from './report.js';
export { type ConformanceOptions, type ConformanceReport, runConformance } from './run.js';
export { commandSessions, fixedSessions, type SessionPhase, type SessionProvider } from './sessions.js';
