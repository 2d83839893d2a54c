// A small benchmark harness. The machine is noisy, so candidates are measured in interleaved
// rounds (each round runs every candidate once, in a shuffled order) and the median ops/s of
// each is compared. Only ratios measured in the same run are meaningful.
import { cpus } from 'node:os';

export function shuffle(items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

async function runBatch(candidate, iterations) {
  const started = process.hrtime.bigint();
  if (candidate.async) {
    for (let i = 0; i < iterations; i++) await candidate.fn(i);
  } else {
    for (let i = 0; i < iterations; i++) candidate.fn(i);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Iterations that take about `batchMs`, found after a warm-up that lets the JIT settle. */
async function calibrate(candidate, batchMs) {
  let iterations = 16;
  for (;;) {
    const seconds = await runBatch(candidate, iterations);
    if (seconds * 1000 >= batchMs / 4 || iterations > 1e8) {
      return Math.max(1, Math.round((iterations * batchMs) / 1000 / seconds));
    }
    iterations *= 4;
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Measures each candidate `{ name, fn(i), async? }` and returns `{ name, opsPerSecond, spread }`
 * in the given order; `spread` is (max − min) / median over the rounds.
 */
export async function measure(candidates, { rounds = 7, batchMs = 250 } = {}) {
  const iterations = new Map();
  for (const candidate of candidates) {
    await runBatch(candidate, 1000); // warm-up
    iterations.set(candidate, await calibrate(candidate, batchMs));
  }
  const samples = new Map(candidates.map((c) => [c, []]));
  for (let round = 0; round < rounds; round++) {
    for (const candidate of shuffle(candidates)) {
      const n = iterations.get(candidate);
      samples.get(candidate).push(n / (await runBatch(candidate, n)));
    }
  }
  return candidates.map((candidate) => {
    const values = samples.get(candidate);
    const mid = median(values);
    return { name: candidate.name, opsPerSecond: mid, spread: (Math.max(...values) - Math.min(...values)) / mid };
  });
}

const formatOps = (ops) => Math.round(ops).toLocaleString('en-US');

/**
 * Prints a Markdown table. `baseline` names the row every ratio is taken against; the ratio says
 * how many times the baseline's ops/s each row's is (`invert: false`) or the reverse.
 */
export function printTable(title, results, baseline) {
  const base = results.find((r) => r.name === baseline);
  console.log(`\n### ${title}\n`);
  console.log(`| library | ops/s | spread | ${baseline} is faster by |`);
  console.log('|---|---:|---:|---:|');
  for (const r of results) {
    const ratio = base.opsPerSecond / r.opsPerSecond;
    console.log(
      `| ${r.name} | ${formatOps(r.opsPerSecond)} | ±${(r.spread * 50).toFixed(0)}% | ${ratio.toFixed(2)}× |`,
    );
  }
}

export function describeMachine() {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `Node ${process.version}, ${cpus().length} × ${cpu}, ${new Date().toISOString().slice(0, 10)}`;
}
