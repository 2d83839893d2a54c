/**
 * The command line of `totpkit-conformance`, parsed without dependencies.
 */

export const USAGE = `Usage: totpkit-conformance --base-url URL [session options] [--json] [--timeout MS]

Checks a backend against the totpkit JSON protocol v1 (docs/protocol.md), with one test account
that must not have TOTP active. The run activates TOTP, uses its codes and recovery codes, and
deactivates it again, also after a failure when it can. With a 30-second period it takes about a
minute, because it waits for fresh codes rather than reuse one.

The kit needs the test account's sessions (docs/protocol.md §2.4), given per phase:
  -H, --header 'N: v'         Signed in, second factor included: status and every change. Repeatable.
  --pending-header 'N: v'     Signed in with the password only, second factor pending: verify.
                              Repeatable. Needed once TOTP is active; spent by each successful verify,
                              so give it only if your backend does not rotate the session on verify.
  --reauth-header 'N: v'      Signed in a moment ago, for hosts that want a recent login before a
                              change (default: the --header session). Repeatable.
  --login-command 'CMD'       Instead of the above: runs 'CMD signedIn', 'CMD pending' or
                              'CMD reauthenticated' whenever the kit needs a session of that phase,
                              and reads a JSON object of headers from its output ({"Cookie":"…"}),
                              or null when the phase cannot be had.
  --csrf-header 'N: v'        The host's CSRF token header, sent with every request; one check per
                              method leaves it out and expects 403. Repeatable.

Other options:
  --base-url URL        The protocol's base URL, as in the elements' endpoint: https://app.example/mfa
  --json                One JSON report on stdout instead of lines: { ok, passed, failed, skipped, results }.
  --timeout MS          Milliseconds before a request counts as unanswered (default 15000).
  -h, --help            This text.

Features that status advertises (reauthentication by code, trusted browsers) are checked too; one
it does not advertise is reported as "not offered", which is neither a failure nor a skip.

Every check is reported as passed, failed or skipped (with the reason). Exit status: 0 when every
check passed, 1 when one failed or was skipped, 2 on a usage error.`;

type HeaderList = [string, string][];

export interface CliOptions {
  baseUrl: string;
  headers: HeaderList;
  pendingHeaders: HeaderList;
  reauthHeaders: HeaderList;
  csrfHeaders: HeaderList;
  loginCommand?: string;
  json: boolean;
  timeoutMs: number;
}

export type ParsedArgs = { help: true } | { help: false; options: CliOptions } | { help: false; error: string };

const HEADER_FLAGS: Record<string, 'headers' | 'pendingHeaders' | 'reauthHeaders' | 'csrfHeaders'> = {
  '-H': 'headers',
  '--header': 'headers',
  '--pending-header': 'pendingHeaders',
  '--reauth-header': 'reauthHeaders',
  '--csrf-header': 'csrfHeaders',
};

/** Parses `argv` (without the node and script paths). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  let baseUrl: string | undefined;
  const options: Omit<CliOptions, 'baseUrl'> = {
    headers: [],
    pendingHeaders: [],
    reauthHeaders: [],
    csrfHeaders: [],
    json: false,
    timeoutMs: 15_000,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? splitOnce(arg, '=') : [arg, undefined];
    const value = () => inline ?? argv[++i];
    const headerList = HEADER_FLAGS[flag];
    if (headerList) {
      const header = value();
      const colon = header?.indexOf(':') ?? -1;
      if (!header || colon <= 0)
        return { help: false, error: `${flag} needs 'Name: value', got ${header ?? 'nothing'}` };
      options[headerList].push([header.slice(0, colon).trim(), header.slice(colon + 1).trim()]);
      continue;
    }
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
      case '--login-command': {
        const command = value();
        if (!command) return { help: false, error: '--login-command needs a command' };
        options.loginCommand = command;
        break;
      }
      case '--json':
        options.json = true;
        break;
      case '--timeout': {
        const ms = Number(value());
        if (!Number.isInteger(ms) || ms <= 0)
          return { help: false, error: '--timeout needs a positive number of milliseconds' };
        options.timeoutMs = ms;
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
  const fixed = options.headers.length + options.pendingHeaders.length + options.reauthHeaders.length;
  if (options.loginCommand && fixed > 0) {
    return { help: false, error: '--login-command replaces --header, --pending-header and --reauth-header' };
  }
  return { help: false, options: { baseUrl, ...options } };
}

function splitOnce(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return [text.slice(0, index), text.slice(index + 1)];
}
