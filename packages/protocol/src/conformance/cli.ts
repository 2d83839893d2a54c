#!/usr/bin/env node
/**
 * `totpkit-conformance --base-url URL [--header 'Cookie: …']`: one line per check and a summary,
 * or with `--json` one JSON report; exit status 1 when any check failed or was skipped. `main` is
 * exported for tests; running the file runs it.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_VERSION } from '../version.js';
import { parseArgs, USAGE } from './args.js';
import { formatNotOffered, formatResult, formatSummary } from './report.js';
import { type ConformanceOptions, runConformance } from './run.js';
import { commandSessions } from './sessions.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  fetch?: ConformanceOptions['fetch'];
}

/** Runs the command line; resolves the exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.help) {
    io.out(USAGE);
    return 0;
  }
  if ('error' in parsed) {
    io.err(`totpkit-conformance: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const { baseUrl, json, timeoutMs, loginCommand, ...headers } = parsed.options;
  if (!json) io.out(`totpkit-conformance: protocol v${PROTOCOL_VERSION} against ${baseUrl}`);
  const report = await runConformance({
    baseUrl,
    ...headers,
    ...(loginCommand ? { session: commandSessions(loginCommand, timeoutMs * 4) } : {}),
    timeoutMs,
    fetch: io.fetch,
    onResult: json ? undefined : (result) => io.out(formatResult(result)),
    onNotOffered: json ? undefined : (note) => io.out(formatNotOffered(note)),
  });
  io.out(
    json ? JSON.stringify({ protocol: PROTOCOL_VERSION, baseUrl, ...report }, null, 2) : `\n${formatSummary(report)}`,
  );
  return report.ok ? 0 : 1;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    // npm links the bin, so compare real paths.
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`totpkit-conformance: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
