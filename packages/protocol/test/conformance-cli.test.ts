import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/conformance/args.js';
import { main } from '../src/conformance/cli.js';
import { formatNotOffered, formatResult, formatSummary } from '../src/conformance/report.js';

describe('totpkit-conformance arguments', () => {
  it('takes a base URL and repeated headers, in both spellings', () => {
    const parsed = parseArgs([
      '--base-url',
      'http://127.0.0.1:3000/mfa',
      '--header',
      'Cookie: sessionid=abc; csrftoken=x:y',
      '-H',
      'X-Csrf-Token: t',
      '--timeout=5000',
    ]);
    expect(parsed).toEqual({
      help: false,
      options: {
        baseUrl: 'http://127.0.0.1:3000/mfa',
        headers: [
          ['Cookie', 'sessionid=abc; csrftoken=x:y'],
          ['X-Csrf-Token', 't'],
        ],
        pendingHeaders: [],
        reauthHeaders: [],
        csrfHeaders: [],
        json: false,
        timeoutMs: 5000,
      },
    });
    expect(parseArgs(['--base-url=https://app.example/mfa'])).toMatchObject({
      options: { baseUrl: 'https://app.example/mfa' },
    });
  });

  it('takes the session of each phase, a CSRF header, a login command and --json', () => {
    const base = ['--base-url', 'http://127.0.0.1:3000/mfa'];
    expect(
      parseArgs([...base, '-H', 'Cookie: a=1', '--pending-header', 'Cookie: a=2', '--reauth-header=Cookie: a=3']),
    ).toMatchObject({
      options: {
        headers: [['Cookie', 'a=1']],
        pendingHeaders: [['Cookie', 'a=2']],
        reauthHeaders: [['Cookie', 'a=3']],
      },
    });
    expect(
      parseArgs([...base, '--login-command', './login --user kit', '--csrf-header', 'X-CSRFToken: t', '--json']),
    ).toMatchObject({
      options: { loginCommand: './login --user kit', csrfHeaders: [['X-CSRFToken', 't']], json: true },
    });
  });

  it.each([
    [['--base-url', 'http://x', '--login-command', 'x', '-H', 'Cookie: a=1'], '--login-command replaces --header'],
    [['--base-url', 'http://x', '--pending-header', 'nope'], "--pending-header needs 'Name: value'"],
    [[], '--base-url is required'],
    [['--base-url'], '--base-url needs a URL'],
    [['--base-url', 'ftp://x/mfa'], 'must be an http(s) URL'],
    [['--base-url', 'http://x', '--header', 'no-colon'], "--header needs 'Name: value'"],
    [['--base-url', 'http://x', '--timeout', '-1'], '--timeout needs a positive number'],
    [['--base-url', 'http://x', '--bogus'], 'unknown argument --bogus'],
  ])('refuses %j: %s', (argv, message) => {
    const parsed = parseArgs(argv);
    expect(parsed).toHaveProperty('error');
    expect((parsed as { error: string }).error).toContain(message);
  });

  it('prints the usage with --help and exits 0', async () => {
    const out: string[] = [];
    expect(await main(['--help'], { out: (line) => out.push(line), err: () => {} })).toBe(0);
    expect(out.join('\n')).toContain('Usage: totpkit-conformance --base-url URL');
  });

  it('exits 2 on a usage error, explaining it on stderr', async () => {
    const err: string[] = [];
    expect(await main(['--base-url', 'nope'], { out: () => {}, err: (line) => err.push(line) })).toBe(2);
    expect(err.join('\n')).toContain('--base-url must be an http(s) URL');
  });
});

describe('result lines', () => {
  it('print a tick with the step and name', () => {
    expect(
      formatResult({ step: 7, stepName: 'replay', name: 'the same code is refused', outcome: 'pass', ok: true }),
    ).toBe('✓ [7 replay] the same code is refused');
  });

  it('print a cross with what was expected and received', () => {
    const line = formatResult({
      step: 7,
      stepName: 'replay',
      name: 'the same code is refused',
      outcome: 'fail',
      ok: false,
      expected: '400 invalid_code',
      received: '200',
    });
    expect(line).toBe('✗ [7 replay] the same code is refused\n    expected: 400 invalid_code\n    received: 200');
  });
});

describe('features not offered', () => {
  const note = {
    step: 11,
    stepName: 'trusted browsers',
    feature: 'trustedBrowsers',
    reason: 'status has no features (an older backend)',
  } as const;

  it('print a line of their own, neither a pass, a failure nor a skip', () => {
    expect(formatNotOffered(note)).toBe(
      '· [11 trusted browsers] not offered: status has no features (an older backend)',
    );
  });

  it('are named in the summary, above a count line that leaves them out', () => {
    const results = [{ step: 1, stepName: 'status', name: 'a check', outcome: 'pass', ok: true } as const];
    expect(formatSummary({ results, notOffered: [note] })).toBe(
      'Not offered by this backend (not a failure): trustedBrowsers\n1 passed, 0 failed, 0 skipped',
    );
  });
});

describe('totpkit-conformance --json', () => {
  it('prints one JSON report with every check, the skipped ones with their reason', async () => {
    const out: string[] = [];
    const status = await main(
      ['--base-url', 'http://127.0.0.1:9/mfa', '-H', 'Cookie: s=1', '--timeout', '2000', '--json'],
      {
        out: (line) => out.push(line),
        err: () => {},
      },
    );
    expect(status).toBe(1);
    expect(out).toHaveLength(1);
    const report = JSON.parse(out[0] as string);
    expect(report).toMatchObject({ protocol: 1, baseUrl: 'http://127.0.0.1:9/mfa', ok: false, passed: 0 });
    expect(report.skipped).toBe(
      report.results.filter((result: { outcome: string }) => result.outcome === 'skip').length,
    );
    expect(report.results).toContainEqual(
      expect.objectContaining({
        name: 'every response has Cache-Control: no-store',
        outcome: 'skip',
        reason: 'the backend answered no request',
      }),
    );
  });
});

describe('totpkit-conformance against a backend that is not there yet', () => {
  it('fails the first required check, names it, and exits 1', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_request, response) => {
      response.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const out: string[] = [];
    try {
      const status = await main(['--base-url', `http://127.0.0.1:${port}/mfa`, '-H', 'Cookie: session=t'], {
        out: (line) => out.push(line),
        err: () => {},
      });
      expect(status).toBe(1);
    } finally {
      server.close();
    }
    const text = out.join('\n');
    expect(text).toContain('✗ [1 status] GET /status answers 200 with a status body');
    expect(text).toContain('received: 404 (no error envelope) to GET /status');
    expect(text).toContain('✗ [13 every response] every response has Cache-Control: no-store');
    expect(text).toContain('received: 404 (no error envelope) to GET /status (no session)');
    // Everything after the failed requirement is listed, skipped with the reason.
    expect(text).toContain('- [12 deactivate] a current code turns TOTP off (200 {})');
    // Which features the backend offers is unknown without a status: their checks are listed as skipped too.
    expect(text).toContain(
      '- [10 reauthenticate] the current code reauthenticates (200, method totp, recoveryCodesLeft)',
    );
    expect(text).toContain(
      '- [11 trusted browsers] revoking one by its id answers revoked 1, and it is no longer listed',
    );
    expect(text).not.toContain('not offered');
    expect(text).toContain('skipped: it depends on "GET /status answers 200 with a status body", which failed');
    expect(text).toMatch(/\n\d+ passed, [1-9]\d* failed, [1-9]\d* skipped$/);
  });
});
