// The figures of bench/login-ceiling.mjs: each setup's runs summed up as ratios (median and range
// over the runs), judged against the goals, and printed as Markdown tables.

/** Issue 15: totpkit's CPU per login at most 1.25× the ceiling's, its throughput at least 0.8×. */
export const GOAL = { throughput: 0.8, cpu: 1.25 };

export const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const spread = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });

/** One setup's runs, their ratios and the goals; valid only when every login succeeded, timed or not (`otherLoads`). */
export function summarise(name, durability, runs, otherLoads, syncCalls) {
  const valid =
    runs.every((pair) => pair.project.valid && pair.ceiling.valid) &&
    otherLoads.every((load) => load.ok === load.amount && load.errors === 0 && load.timeouts === 0);
  const throughput = spread(runs.map((pair) => pair.ratios.throughput));
  const cpu = spread(runs.map((pair) => pair.ratios.cpu));
  return {
    name,
    durability,
    syncCalls,
    valid,
    runs,
    ratios: { throughput, cpu },
    cpuBeyondCeilingMicros: spread(runs.map((pair) => pair.cpuBeyondCeilingMicros)),
    goals: { throughput: throughput.median >= GOAL.throughput, cpu: cpu.median <= GOAL.cpu },
  };
}

/** The setup as tables: each run's figures per server, then the ratios per run with their median and range. */
export function printSetup(setup, say) {
  say(`\n## ${setup.name}\n`);
  say(`Durability: ${setup.durability}\n`);
  say('| run | server | logins/s | CPU µs per login: server (kernel) | PostgreSQL | Redis | total | failures |');
  say('|---:|---|---:|---:|---:|---:|---:|---:|');
  const cell = (value) => (value === null ? '–' : fmt(value));
  for (const pair of setup.runs) {
    for (const name of ['ceiling', 'project']) {
      const side = pair[name];
      const cpu = side.cpuMicrosPerLogin;
      say(
        `| ${pair.run} | ${name === 'project' ? 'totpkit' : 'ceiling'} | ${fmt(side.loginsPerSecond)} | ${fmt(cpu.server)} (${fmt(cpu.serverSystem)}) | ` +
          `${cell(cpu.postgres)} | ${cell(cpu.redis)} | **${fmt(cpu.total)}** | ${side.amount - side.ok} |`,
      );
    }
  }
  const row = (label, key) =>
    `| ${label} | ${setup.runs.map((pair) => `${fmt(pair.ratios[key], 2)}×`).join(' | ')} | **${fmt(setup.ratios[key].median, 2)}×** | ${fmt(setup.ratios[key].min, 2)}–${fmt(setup.ratios[key].max, 2)}× |`;
  say(`\n| totpkit ÷ ceiling | ${setup.runs.map((pair) => `run ${pair.run}`).join(' | ')} | median | spread |`);
  say(`|---|${setup.runs.map(() => '---:').join('|')}|---:|---:|`);
  say(row('throughput', 'throughput'));
  say(row('CPU per login', 'cpu'));
  const beyond = setup.cpuBeyondCeilingMicros;
  say(
    `| CPU µs per login beyond the ceiling's | ${setup.runs.map((pair) => fmt(pair.cpuBeyondCeilingMicros)).join(' | ')} | ` +
      `**${fmt(beyond.median)}** | ${fmt(beyond.min)}–${fmt(beyond.max)} |`,
  );
  const verdict = (met) => (met ? 'met' : 'NOT met');
  say(
    `\nGoal throughput ≥ ${GOAL.throughput}× the ceiling: ${verdict(setup.goals.throughput)}. ` +
      `Goal CPU per login ≤ ${GOAL.cpu}× the ceiling's: ${verdict(setup.goals.cpu)}.`,
  );
  if (setup.syncCalls) {
    const { logins, perLogin } = setup.syncCalls;
    say(
      `\nfsync + fdatasync calls per login (${logins} logins one at a time under strace, after the timed runs, ` +
        `in the server process${setup.name.startsWith('PostgreSQL') ? ' and its PostgreSQL backends' : ''}): ` +
        `ceiling ${fmt(perLogin.ceiling, 2)}, totpkit ${fmt(perLogin.project, 2)}.`,
    );
  }
  const gone = setup.runs.flatMap((pair) =>
    ['ceiling', 'project'].map((name) => pair[name].postgresBackends?.gone ?? 0),
  );
  if (gone.some((count) => count > 0)) {
    say(`\nPostgreSQL backends that closed during a run (their last CPU is missing): ${gone.join(', ')}.`);
  }
  if (!setup.valid) say('\n**INVALID RUN: some logins did not succeed; the figures above mean nothing.**');
  for (const pair of setup.runs) {
    for (const name of ['ceiling', 'project']) {
      const side = pair[name];
      if (!side.valid) {
        say(
          `- run ${pair.run}, ${name}: ${side.ok} of ${side.amount} succeeded, ${side.errors} errors, ` +
            `${side.timeouts} timeouts; ${side.examples.join(' / ')}`,
        );
      }
    }
  }
}
