// Where a login's CPU goes beyond the ceiling (issue 15): the same login through each layer of the
// project, on one SQLite file, in one server process, in alternating rounds.
//
//   node bench/login-layers.mjs                      ~1 minute; prints the table
//   node bench/login-layers.mjs --against <commit>   adds that commit's whole stack beside the working tree's
//   node bench/login-layers.mjs --quick --json       smoke run (bench/test asserts every login succeeded)
//   --rounds <n>  timed rounds (default 24)          --accounts <n>  accounts per side (default 2,000)
//
// The sides, each a node:http listener on a port of its own:
// - ceiling: bench/lib/login/ceiling-server.mjs's work (read the sealed secret, open it, check the ±1
//   window, compare-and-set the step), on a better-sqlite3 connection that ran the store's PRAGMAs;
// - service: the body read and parsed as the ceiling does, then `totpkit.verify()` (the service,
//   SqliteStore, its limiter): what the service and store add;
// - protocol: `toNodeListener(createTotpHandler(…))`, the whole stack as an app mounts it: what the
//   protocol's checks and the Node adapter add on top;
// - protocol@<commit> with --against: the same for a commit's package (git archive), to see what a
//   change saves, measured in the same rounds as the tree's.
//
// Why one process rather than bench/login-ceiling.mjs's one per server: every round of every side
// runs under the same load, and the per-round ratios are paired, so a change of a few per cent
// shows; login-ceiling.mjs gives the figures of record (throughput, separate processes, PostgreSQL).
// The client is a process of its own (lib/login/layers-client.mjs): keep-alive connections, 32
// logins in flight, each answer checked to be a TOTP success. Each side has its own accounts; the
// injected clock moves one period per round, so every login has a fresh step. CPU per login is this
// process's `process.cpuUsage()` over the round, divided by the logins: the sides share the
// process, so garbage one side leaves may be collected in another's round, which the alternating
// random order spreads evenly.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, shuffle } from './lib/harness.mjs';
import { answer, ceilingListener, ceilingLogin, sqliteCeilingDatabase, withCode } from './lib/login/ceiling.mjs';
import { median } from './lib/login/report.mjs';
import { loadServer, packageRequire, serverSource } from './lib/login/server-source.mjs';
import { watchSqliteSettings } from './lib/login/sqlite-settings.mjs';

const argv = process.argv.slice(2);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const quick = argv.includes('--quick');
const json = argv.includes('--json');
const against = option('--against');
const ROUNDS = quick ? 2 : Number(option('--rounds') ?? 24);
const WARM_UP_ROUNDS = quick ? 1 : 3;
const ACCOUNTS = quick ? 200 : Number(option('--accounts') ?? 2000);
const CONNECTIONS = 32;
const START_MS = 1_700_000_010_000;
const PERIOD_MS = 30_000;
const CLIENT = fileURLToPath(new URL('./lib/login/layers-client.mjs', import.meta.url));

const tree = serverSource(undefined);
const base = against ? serverSource(against) : null;
const dir = mkdtempSync(join(tmpdir(), 'totpkit-login-layers-'));
const file = join(dir, 'logins.sqlite');
let nowMs = START_MS;
const now = () => nowMs;
const servers = [];

/** A node:http server on a loopback port for `listener`; resolves its port. */
async function listen(listener) {
  const server = createServer({ keepAliveTimeout: 30_000 }, listener);
  servers.push(server);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server.address().port;
}

/** The service and the protocol sides of one server package (the working tree's, or a commit's). */
async function projectSides(root, label, keyring, withService) {
  const server = await loadServer(root);
  const watch = watchSqliteSettings(root);
  const store = new server.sqlite.SqliteStore({ filename: file, now });
  await store.migrate();
  const settings = watch.read();
  const totpkit = server.index.createTotpkit({
    issuer: 'totpkit login layers bench',
    keyring,
    qrCode: false,
    now,
    logger: { warn() {}, error() {} },
    store,
    replayCache: store.replayCache(),
    rateLimiter: store.rateLimiter(),
  });
  // TEST SERVER ONLY: the user is whoever the X-Test-User header names, read as a host's getUser
  // reads a cookie: through the Fetch-style `headers` the hook receives.
  const handler = server.http.createTotpHandler({
    totpkit,
    basePath: '/mfa',
    getUser: (request) => {
      const id = request.headers.get('x-test-user');
      return id ? { id } : null;
    },
  });
  const sides = [{ name: label, listener: server.node.toNodeListener(handler) }];
  if (withService) {
    sides.unshift({
      name: 'service',
      listener: (request, response) =>
        withCode(request, response, (userId, code) =>
          totpkit.verify({ id: userId }, code).then(
            (result) =>
              result.ok
                ? answer(
                    response,
                    200,
                    JSON.stringify({ method: result.method, recoveryCodesLeft: result.recoveryCodesLeft }),
                  )
                : answer(response, 400, JSON.stringify({ error: { code: result.error } })),
            () => answer(response, 500, '{"error":{"code":"internal_error"}}'),
          ),
        ),
    });
  }
  return { server, totpkit, settings, sides };
}

/** The ceiling on a connection of its own that ran the store's PRAGMA statements. */
function ceilingSide(server, settings, keyring) {
  const Database = packageRequire(tree.root)('better-sqlite3');
  const db = sqliteCeilingDatabase(Database, file, settings.statements);
  const login = ceilingLogin({
    db,
    keyring: server.index.createKeyring(keyring),
    verifyTotp: server.index.verifyTotp,
    now,
  });
  return { name: 'ceiling', close: () => db.close(), listener: ceilingListener(login) };
}

const client = fork(CLIENT);
const closers = [];
try {
  const { index } = await loadServer(tree.root);
  const keyring = { current: 'k1', keys: { k1: index.generateEncryptionKey() } };
  const project = await projectSides(tree.root, 'protocol', keyring, true);
  closers.push(() => project.totpkit.close());
  const sides = [ceilingSide(project.server, project.settings, keyring), ...project.sides];
  closers.push(sides[0].close);
  if (base) {
    const old = await projectSides(base.root, `protocol@${base.commit.slice(0, 7)}`, keyring, false);
    closers.push(() => old.totpkit.close());
    sides.push(...old.sides);
  }
  // Each side's own accounts, enrolled through the tree's service before any timing.
  for (const side of sides) {
    side.accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({
      id: `${side.name}-${i}`,
      secret: index.generateTotpSecret(),
    }));
    for (const account of side.accounts) {
      await project.totpkit.importAuthenticator({ id: account.id }, { secret: account.secret });
    }
    side.port = await listen(side.listener);
    side.cpu = [];
  }

  let failed = null;
  for (let round = 1; round <= WARM_UP_ROUNDS + ROUNDS && !failed; round++) {
    for (const side of shuffle(sides)) {
      nowMs = START_MS + round * PERIOD_MS;
      const logins = side.accounts.map((account) => [
        account.id,
        index.totpCode(account.secret, { time: nowMs / 1000 }),
      ]);
      const answered = new Promise((resolve) => client.once('message', resolve));
      const before = process.cpuUsage();
      client.send({ port: side.port, logins, connections: CONNECTIONS });
      const result = await answered;
      const used = process.cpuUsage(before);
      if (result.failures > 0) {
        failed = `${side.name}, round ${round}: ${result.failures} of ${logins.length} logins failed (${result.examples.join('; ')})`;
        break;
      }
      if (round > WARM_UP_ROUNDS) side.cpu.push((used.user + used.system) / logins.length);
    }
  }

  const ceiling = sides[0];
  const rows = sides.map((side) => {
    const perRound = side.cpu.map((cpu, i) => cpu / ceiling.cpu[i]);
    return {
      side: side.name,
      cpuPerLogin: median(side.cpu),
      ratio: { median: median(perRound), min: Math.min(...perRound), max: Math.max(...perRound) },
    };
  });
  const report = {
    quick,
    machine: describeMachine(),
    tree: tree.commit,
    against: base?.commit ?? null,
    accounts: ACCOUNTS,
    rounds: ROUNDS,
    connections: CONNECTIONS,
    sqlite: project.settings,
    valid: failed === null,
    failure: failed,
    rows,
  };
  if (json) console.log(JSON.stringify(report));
  else {
    console.log(`# Login layers — ${report.machine}${quick ? ' (quick smoke run; figures meaningless)' : ''}`);
    console.log(`Working tree at ${tree.commit.slice(0, 12)}${base ? `, against ${base.commit.slice(0, 12)}` : ''}`);
    console.log(
      `${ACCOUNTS.toLocaleString('en-US')} accounts per side, ${ROUNDS} timed rounds after ${WARM_UP_ROUNDS} warm-up, ` +
        `${CONNECTIONS} logins in flight; SQLite: ${project.settings.statements.join('; ')}\n`,
    );
    console.log('| side | CPU µs per login (median) | ÷ ceiling, median of rounds | range |');
    console.log('|---|---:|---:|---:|');
    for (const row of rows) {
      console.log(
        `| ${row.side} | ${row.cpuPerLogin.toFixed(1)} | **${row.ratio.median.toFixed(2)}×** | ` +
          `${row.ratio.min.toFixed(2)}–${row.ratio.max.toFixed(2)}× |`,
      );
    }
    if (base) {
      const [tree, old] = [sides.at(-2), sides.at(-1)];
      const paired = tree.cpu.map((cpu, i) => cpu / old.cpu[i]);
      console.log(
        `\n${tree.name} ÷ ${old.name}, paired by round: median **${median(paired).toFixed(3)}×**, ` +
          `range ${Math.min(...paired).toFixed(3)}–${Math.max(...paired).toFixed(3)}×`,
      );
    }
    if (failed) console.log(`\nINVALID: ${failed}`);
  }
  if (failed) process.exitCode = 1;
} finally {
  client.kill();
  for (const server of servers) server.close();
  for (const close of closers) await close().catch(() => {});
  tree.dispose();
  base?.dispose();
  rmSync(dir, { recursive: true, force: true });
}
