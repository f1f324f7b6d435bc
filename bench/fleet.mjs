// Benchmark 7: a fleet. Two app instances, each a process of its own, share one usage plan
// (the simulator's token bucket, R/s, burst 10, one API key). Each sends its share of N
// GET /stock. Limits: each instance's in-process limiter at the plan's rate; each at half
// of it; or one bottleneck limiter clustered through Redis (rateLimit.bottleneck). Counted on
// the server: calls per success and 429s; timed against the ideal (N - burst) / R.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fmt, interleave, median, QUICK, ratio, sleep } from './lib/measure.mjs';
import { beginBenchmark, SIMULATOR_IN_CHILD } from './lib/report.mjs';
import { hasRedisServer, startRedisServer } from './lib/redis-server.mjs';
import { startSimulatorProcess } from './lib/simulator-process.mjs';

const RATE = 100;
const BURST = 10;
const TOTAL = QUICK ? 200 : 500;
const ROUNDS = QUICK ? 1 : 3;
const CONCURRENCY = 25;
/** How the N requests split between the two instances. */
const SPLITS = [
  { label: 'even load (1:1)', shares: [0.5, 0.5] },
  { label: 'uneven load (4:1)', shares: [0.8, 0.2] },
];
const ALTERNATIVES = [
  { name: 'in-process limiter at the plan rate, per instance', rateLimit: { requestsPerSecond: RATE, burst: BURST } },
  { name: 'in-process limiter at half the plan rate, per instance', rateLimit: { requestsPerSecond: RATE / 2, burst: BURST / 2 } },
  { name: 'one bottleneck clustered through Redis (rateLimit.bottleneck)', ours: true, rateLimit: { requestsPerSecond: RATE }, cluster: { minTime: 1000 / RATE } },
];
const instancePath = fileURLToPath(new URL('./lib/fleet-instance.mjs', import.meta.url));

const bench = beginBenchmark({
  name: 'fleet',
  number: 7,
  title: 'Two app instances sharing one usage plan',
  workload: `simulator token bucket R=${RATE}/s, burst ${BURST}, one API key; two instances (processes) with createQuivoFetch, ${CONCURRENCY} in flight each, N=${TOTAL} GET /stock split ${SPLITS.map((s) => s.shares.map((x) => x * 10).join(':')).join(' or ')}; ${ROUNDS} round(s), alternatives interleaved`,
  simulator: SIMULATOR_IN_CHILD,
});

if (!hasRedisServer()) {
  bench.finish({ tables: [], verdicts: [], notes: ['Skipped: no redis-server on PATH (Debian: apt-get install redis-server).'], raw: { skipped: true } });
  process.exit(0);
}

/** Starts an instance and resolves once it has logged in. */
function startInstance(options) {
  const child = fork(instancePath, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`fleet instance exited with code ${code} before it was ready`)));
    child.once('message', (message) => (message.ready ? resolve() : reject(new Error('unexpected message'))));
  });
  return { child, ready };
}

function runInstance({ child }, total) {
  child.removeAllListeners('exit');
  const done = new Promise((resolve, reject) => {
    child.on('message', (message) => message.done && resolve(message));
    child.once('exit', (code) => reject(new Error(`fleet instance exited with code ${code} before it reported`)));
  });
  child.send({ go: true, total, concurrency: CONCURRENCY });
  return done;
}

const redis = await startRedisServer();
const sim = await startSimulatorProcess({ throttle: { rate: RATE, burst: BURST } });
const idealMs = ((TOTAL - BURST) / RATE) * 1000;
let runId = 0;
const scenarios = [];
for (const split of SPLITS) {
  const results = await interleave(ALTERNATIVES, ROUNDS, async (alt) => {
    const cluster = alt.cluster && { ...alt.cluster, id: `quivo-fleet-${(runId += 1)}`, redisPath: redis.path };
    const instances = [0, 1].map(() => startInstance({ url: sim.url, rateLimit: alt.rateLimit, cluster }));
    await Promise.all(instances.map((i) => i.ready));
    await sleep(((BURST / RATE) * 1000) * 2 + 300); // the bucket refills after the logins
    await sim.resetStats();
    const t0 = performance.now();
    const shares = [Math.round(TOTAL * split.shares[0]), TOTAL - Math.round(TOTAL * split.shares[0])];
    const reports = await Promise.all(instances.map((instance, i) => runInstance(instance, shares[i])));
    const elapsedMs = performance.now() - t0;
    const byStatus = (await sim.stats()).byRoute['GET /stock'] ?? {};
    const calls = Object.values(byStatus).reduce((a, b) => a + b, 0);
    const successes = byStatus[200] ?? 0;
    return { calls, successes, throttled: byStatus[429] ?? 0, failures: reports.flatMap((r) => r.failures), elapsedMs, instanceMs: reports.map((r) => r.elapsedMs) };
  });
  scenarios.push({ split, results });
}
await sim.close();
await redis.close();

const rows = scenarios.flatMap(({ split, results }) =>
  ALTERNATIVES.map((alt) => {
    const runs = results.get(alt.name);
    return {
      split: split.label,
      name: alt.name,
      ours: alt.ours === true,
      calls: median(runs.map((r) => r.calls)),
      callsPerSuccess: median(runs.map((r) => r.calls / Math.max(1, r.successes))),
      throttled: median(runs.map((r) => r.throttled)),
      succeeded: median(runs.map((r) => 1 - r.failures.length / TOTAL)),
      failures: [...new Set(runs.flatMap((r) => r.failures))],
      timeRatio: median(runs.map((r) => r.elapsedMs / idealMs)),
    };
  }),
);

bench.finish({
  tables: SPLITS.map((split) => ({
    caption: `${split.label}: N=${TOTAL}, ideal time (N - burst) / R = ${fmt(idealMs / 1000, 2)} s (medians of ${ROUNDS})`,
    columns: ['limit', 'server calls', 'calls/success', '429s', 'succeeded', 'time / ideal'],
    rows: rows.filter((r) => r.split === split.label).map((r) => [r.name, r.calls, ratio(r.callsPerSuccess), r.throttled, `${(r.succeeded * 100).toFixed(1)}%`, `${fmt(r.timeRatio, 2)}x`]),
  })),
  verdicts: rows
    .filter((r) => r.ours)
    .map((r) => ({
      target: `${r.split}, ${r.name}: <= 1.01 calls/success, <= 1.1x ideal time, every request succeeds (no target in the issue; ours)`,
      measured: `${ratio(r.callsPerSuccess)} calls/success, ${fmt(r.timeRatio, 2)}x, ${r.throttled} x 429, ${(r.succeeded * 100).toFixed(1)}% succeeded`,
      met: r.callsPerSuccess <= 1.01 && r.timeRatio <= 1.1 && r.succeeded === 1,
    })),
  notes: [
    `Redis ${redis.version} on a Unix socket, started by the benchmark; bottleneck 2.19.5 with datastore 'ioredis', minTime ${1000 / RATE} ms for the cluster, and requestsPerSecond ${RATE} in the policy.`,
    `The clustered bottleneck spaces every send by minTime and has no burst, so its best time is (N - 1) / R, ${ratio((TOTAL - 1) / (TOTAL - BURST), 3)} of the ideal (N - burst) / R: its time is that floor, not overhead.`,
    'Per instance at the plan rate, the two together offer twice what the plan takes: 429s, and the adaptive decrease, are the result. At half the rate each, an uneven load leaves half the plan unused by the busy instance. The cluster shares one spacing, whichever instance sends.',
  ],
  raw: { rows, scenarios: scenarios.map((s) => ({ split: s.split, results: Object.fromEntries(s.results) })) },
});
