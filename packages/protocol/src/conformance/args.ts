/**
 * The command line of `totpkit-conformance`, parsed without dependencies.
 */

export const USAGE = `Usage: totpkit-conformance --base-url URL [--header 'Name: value']... [--timeout MS]

Checks a backend against the totpkit JSON protocol v1 (docs/protocol.md), with one test account.
The account must be signed in through the headers you pass (a session cookie, usually), and must
not have TOTP active. The run activates TOTP, uses its codes and recovery codes, and deactivates it
again, also after a failure when it can. With a 30-second period it takes about a minute, because
it waits for fresh codes rather than reuse one.

Options:
  --base-url URL        The protocol's base URL, as in the elements' endpoint: https://app.example/mfa
  -H, --header 'N: v'   A header for every request, such as 'Cookie: sessionid=…'. Repeatable.
  --timeout MS          Milliseconds before a request counts as unanswered (default 15000).
  -h, --help            This text.

Exit status: 0 when every check passed, 1 when one failed, 2 on a usage error.`;

export interface CliOptions {
  baseUrl: string;
  headers: [string, string][];
  timeoutMs: number;
}

export type ParsedArgs = { help: true } | { help: false; options: CliOptions } | { help: false; error: string };

/** Parses `argv` (without the node and script paths). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  let baseUrl: string | undefined;
  let timeoutMs = 15_000;
  const headers: [string, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? splitOnce(arg, '=') : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '-h':
      case '--help':
        return { help: true };
      case '--base-url': {
        const url = value();
        if (!url) return { help: false, error: '--base-url needs a URL' };
        baseUrl = url;
        break;
      }
      case '-H':
      case '--header': {
        const header = value();
        const colon = header?.indexOf(':') ?? -1;
        if (!header || colon <= 0)
          return { help: false, error: `--header needs 'Name: value', got ${header ?? 'nothing'}` };
        headers.push([header.slice(0, colon).trim(), header.slice(colon + 1).trim()]);
        break;
      }
      case '--timeout': {
        const ms = Number(value());
        if (!Number.isInteger(ms) || ms <= 0)
          return { help: false, error: '--timeout needs a positive number of milliseconds' };
        timeoutMs = ms;
        break;
      }
      default:
        return { help: false, error: `unknown argument ${flag}` };
    }
  }
  if (!baseUrl) return { help: false, error: '--base-url is required' };
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    return { help: false, error: `--base-url must be an http(s) URL, got ${baseUrl}` };
  }
  return { help: false, options: { baseUrl, headers, timeoutMs } };
}

function splitOnce(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return [text.slice(0, index), text.slice(index + 1)];
}
