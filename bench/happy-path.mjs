// Benchmark 1: the happy path. GET /stock answered 200, every feature of ours on but nothing
// firing (credentials with a token already held, the default adaptive limiter, retries), at
// concurrency 1 and 50, against the bare clients with a static token. Then heap after 100k
// requests through ours (fetch and axios), in a child process with --expose-gc.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from './lib/clients.mjs';
import { profileAlternative, profileDifference } from './lib/cpu-profile.mjs';
import { closedLoop, fmt, interleave, median, percentile, QUICK, ratio, slope } from './lib/measure.mjs';
import { beginBenchmark, SIMULATOR_IN_CHILD } from './lib/report.mjs';
import { startSimulatorProcess } from './lib/simulator-process.mjs';

const ROUNDS = QUICK ? 2 : 16;
const TRIALS = [
  { concurrency: 1, total: QUICK ? 300 : 500 },
  { concurrency: 50, total: QUICK ? 1000 : 2000 },
];
const HEAP = { total: QUICK ? 10_000 : 100_000, every: QUICK ? 2_000 : 10_000, concurrency: 50 };
/** Fitted heap growth over the run above which the heap is not "flat". */
const HEAP_FLAT_LIMIT_BYTES = 1024 * 1024;

/** Each alternative and the bare client it is compared with. */
const ALTERNATIVES = [
  { name: 'axios (bare)', bare: 'axios (bare)' },
  { name: 'axios + attachQuivo', bare: 'axios (bare)', ours: true },
  { name: 'fetch (bare)', bare: 'fetch (bare)' },
  { name: 'createQuivoFetch', bare: 'fetch (bare)', ours: true },
  // Diagnostic, no target: the floor under any fetch client that enforces a timeout.
  { name: 'fetch + timeout signal (diagnostic)', bare: 'fetch (bare)', diagnostic: true },
  { name: 'axios-retry + axios-auth-refresh', bare: 'axios (bare)' },
  { name: 'ky (default retry)', bare: 'fetch (bare)' },
  { name: 'p-retry + fetch', bare: 'fetch (bare)' },
];

const bench = beginBenchmark({
  name: 'happy-path',
  number: 1,
  title: 'Happy path: overhead when nothing fires',
  workload: `GET /stock -> 200, closed loop at concurrency 1 (${TRIALS[0].total} requests a trial) and 50 (${TRIALS[1].total} a trial), ${ROUNDS} rounds, alternatives interleaved in rotating order; ours with credentials, default adaptive limiter and retries; heap: ${HEAP.total.toLocaleString('en-US')} requests at concurrency ${HEAP.concurrency} through ours, heapUsed after gc every ${HEAP.every.toLocaleString('en-US')}`,
  simulator: SIMULATOR_IN_CHILD,
});

const sim = await startSimulatorProcess({});
const clients = new Map();
for (const alt of ALTERNATIVES) {
  const client = await createClient(alt.name, { url: sim.url });
  // Login, JIT, keep-alive sockets: nothing of that is the steady state being measured.
  await closedLoop({ total: 500, concurrency: 50, send: () => client.request('GET', '/stock') });
  clients.set(alt.name, client);
}

const byConcurrency = [];
for (const { concurrency, total } of TRIALS) {
  const results = await interleave(ALTERNATIVES, ROUNDS, async (alt) => {
    const client = clients.get(alt.name);
    const serverCpu = await sim.cpuMeter();
    const cpu0 = process.cpuUsage();
    const run = await closedLoop({ total, concurrency, send: () => client.request('GET', '/stock') });
    const cpu = process.cpuUsage(cpu0);
    const failures = run.outcomes.filter((o) => !o.ok).length;
    return {
      reqPerSec: (total / run.elapsedMs) * 1000,
      p50: percentile(run.latencies, 50),
      p99: percentile(run.latencies, 99),
      clientCpuUsPerReq: (cpu.user + cpu.system) / total,
      serverCpu: await serverCpu.stop(),
      failures,
    };
  });
  byConcurrency.push({ concurrency, total, results });
}

function summarise({ concurrency, results }) {
  return ALTERNATIVES.map((alt) => {
    const runs = results.get(alt.name);
    const bareRuns = results.get(alt.bare);
    // Paired by round: each ratio compares trials run seconds apart under the same load.
    const ratios = runs.map((r, i) => r.reqPerSec / bareRuns[i].reqPerSec);
    const addedP50 = runs.map((r, i) => r.p50 - bareRuns[i].p50);
    const addedCpu = runs.map((r, i) => r.clientCpuUsPerReq - bareRuns[i].clientCpuUsPerReq);
    return {
      name: alt.name,
      ours: alt.ours === true,
      bare: alt.bare,
      concurrency,
      reqPerSec: median(runs.map((r) => r.reqPerSec)),
      ratio: median(ratios),
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
      p50: median(runs.map((r) => r.p50)),
      addedP50: median(addedP50),
      p99: median(runs.map((r) => r.p99)),
      clientCpuUsPerReq: median(runs.map((r) => r.clientCpuUsPerReq)),
      addedCpuUsPerReq: median(addedCpu),
      serverCpu: median(runs.map((r) => r.serverCpu)),
      failures: runs.reduce((n, r) => n + r.failures, 0),
    };
  });
}

const summaries = byConcurrency.map(summarise);

/** What the diagnostic row says about createQuivoFetch's gap, per concurrency. */
const timeoutFloor = summaries.map((rows, i) => {
  const row = (name) => rows.find((r) => r.name === name);
  const diagnostic = row('fetch + timeout signal (diagnostic)');
  const ours = row('createQuivoFetch');
  return `at concurrency ${byConcurrency[i].concurrency} bare fetch with a timeout signal ran at ${ratio(diagnostic.ratio)} of bare fetch and createQuivoFetch at ${ratio(ours.ratio)}, ${fmt(ours.clientCpuUsPerReq - diagnostic.clientCpuUsPerReq, 0)} µs of client CPU per request above it`;
});

// Heap, in a clean process per client (both at once: heap is not a timing), with the
// simulator still in its own.
const execFileAsync = promisify(execFile);
const probePath = fileURLToPath(new URL('./lib/heap-probe.mjs', import.meta.url));
const heapStarted = performance.now();
const heap = await Promise.all(
  ['createQuivoFetch', 'axios + attachQuivo'].map(async (name) => {
    const { stdout } = await execFileAsync(process.execPath, ['--expose-gc', probePath, name, sim.url, String(HEAP.total), String(HEAP.every), String(HEAP.concurrency)], { maxBuffer: 1 << 20 });
    const probe = JSON.parse(stdout.trim().split('\n').at(-1));
    const measured = probe.samples.slice(1); // after the first block: warm JIT, full pools
    const bytesPerRequest = slope(measured.map((s) => s.requests), measured.map((s) => s.heapUsed));
    const fittedGrowth = bytesPerRequest * (measured.at(-1).requests - measured[0].requests);
    return {
      name,
      ours: true,
      first: probe.samples[0].heapUsed,
      afterFirstBlock: measured[0].heapUsed,
      last: probe.samples.at(-1).heapUsed,
      min: Math.min(...probe.samples.map((s) => s.heapUsed)),
      max: Math.max(...probe.samples.map((s) => s.heapUsed)),
      bytesPerRequest,
      fittedGrowth,
      flat: fittedGrowth < HEAP_FLAT_LIMIT_BYTES,
      failures: probe.failures,
      seconds: probe.elapsedMs / 1000,
      samples: probe.samples,
    };
  }),
);
const heapSeconds = (performance.now() - heapStarted) / 1000;

// What one AbortSignal costs on this Node, in a fresh process: undici's fetch makes one per
// Request, and a fetch client with a per-request timeout one more.
const signalProbePath = fileURLToPath(new URL('./lib/abort-signal-probe.mjs', import.meta.url));
const signalCost = JSON.parse((await execFileAsync(process.execPath, [signalProbePath])).stdout.trim());

// Where a throughput target is missed: CPU profiles of that client and of its bare client
// (once per client, at the concurrency with the worse ratio), so the report says why.
const PROFILE_REQUESTS = QUICK ? 2000 : 5000;
const profiles = [];
const missed = summaries.flat().filter((r) => r.ours && r.ratio < 0.95);
for (const name of new Set(missed.map((r) => r.name))) {
  const worst = missed.filter((r) => r.name === name).sort((a, b) => a.ratio - b.ratio)[0];
  const ours = await profileAlternative({ name, url: sim.url, total: PROFILE_REQUESTS, concurrency: worst.concurrency, top: 12 });
  const bare = await profileAlternative({ name: worst.bare, url: sim.url, total: PROFILE_REQUESTS, concurrency: worst.concurrency, top: 12 });
  profiles.push({ name, bare: worst.bare, concurrency: worst.concurrency, ours, bareProfile: bare, difference: profileDifference(ours, bare, 14) });
}
await sim.close();

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
const tables = summaries.map((rows, i) => ({
  caption: `Concurrency ${byConcurrency[i].concurrency} (${byConcurrency[i].total} requests a trial, medians of ${ROUNDS} rounds)`,
  columns: ['client', 'req/s', 'vs bare (min..max)', 'p50 ms', 'added p50 ms', 'p99 ms', 'client CPU µs/req', 'server CPU', 'failures'],
  rows: rows.map((r) => [
    r.name,
    fmt(r.reqPerSec, 0),
    r.name === r.bare ? '1 (baseline)' : `${ratio(r.ratio)} (${r.ratioMin.toFixed(2)}..${r.ratioMax.toFixed(2)}) vs ${r.bare.split(' ')[0]}`,
    fmt(r.p50, 3),
    r.name === r.bare ? '-' : fmt(r.addedP50, 3),
    fmt(r.p99, 3),
    fmt(r.clientCpuUsPerReq, 0),
    `${(r.serverCpu * 100).toFixed(0)}%`,
    r.failures,
  ]),
}));
tables.push({
  caption: `Heap (heapUsed after gc) over ${HEAP.total.toLocaleString('en-US')} requests, concurrency ${HEAP.concurrency}`,
  columns: ['client', 'at start', `after ${HEAP.every.toLocaleString('en-US')}`, 'last', 'min..max', 'fitted growth', 'bytes/req', 'flat', 'time s', 'failures'],
  rows: heap.map((h) => [h.name, mib(h.first), mib(h.afterFirstBlock), mib(h.last), `${mib(h.min)}..${mib(h.max)}`, mib(h.fittedGrowth), fmt(h.bytesPerRequest, 2), h.flat ? 'yes' : 'NO', fmt(h.seconds, 1), h.failures]),
});
for (const p of profiles) {
  tables.push({
    caption: `Why: CPU profiles (--cpu-prof, ${PROFILE_REQUESTS} requests at concurrency ${p.concurrency}) of ${p.name} and ${p.bare}: the functions whose self time per request grew most. ${p.ours.probe}; ${p.bareProfile.probe}. In packages/* itself: ${fmt(p.ours.oursUsPerRequest, 1)} µs/request.`,
    columns: ['function', `${p.name} µs/req`, `${p.bare} µs/req`, 'difference'],
    rows: p.difference.map((d) => [d.function, fmt(d.subject, 2), fmt(d.base, 2), `+${fmt(d.delta, 2)}`]),
  });
}

function whyMissed(r) {
  const cpu = `+${fmt(r.addedCpuUsPerReq, 0)} µs of client CPU per request over ${r.bare}`;
  const p = profiles.find((x) => x.name === r.name);
  if (!p) return cpu;
  const top = p.difference.slice(0, 4).map((d) => `${d.function.replace(/ \S+$/, '')} +${fmt(d.delta, 1)} µs`).join(', ');
  return `${cpu}; profiled: ${fmt(p.ours.oursUsPerRequest, 1)} µs/request in packages/* itself, the largest increases over the bare client ${top} (table "Why" below)`;
}

const verdicts = [];
for (const rows of summaries) {
  for (const r of rows.filter((row) => row.ours)) {
    const met = r.ratio >= 0.95;
    const serverBound = r.serverCpu > 0.9;
    verdicts.push({
      target: `${r.name} at concurrency ${r.concurrency}: req/s >= 0.95x ${r.bare}`,
      measured: `${ratio(r.ratio)} (added p50 ${fmt(r.addedP50, 3)} ms, +${fmt(r.addedCpuUsPerReq, 0)} µs client CPU per request)`,
      met,
      ...(met && serverBound ? { why: 'the simulator used a whole core here, so req/s is partly server-bound; the client CPU column shows the overhead regardless' } : {}),
      ...(!met ? { why: whyMissed(r) } : {}),
    });
  }
}
for (const h of heap.filter((row) => row.ours)) {
  verdicts.push({
    target: `${h.name}: heap flat over ${HEAP.total.toLocaleString('en-US')} requests (fitted growth < ${mib(HEAP_FLAT_LIMIT_BYTES)})`,
    measured: `${mib(h.afterFirstBlock)} after ${HEAP.every.toLocaleString('en-US')} -> ${mib(h.last)} at ${HEAP.total.toLocaleString('en-US')}, fitted ${mib(h.fittedGrowth)} (${fmt(h.bytesPerRequest, 2)} B/request)`,
    met: h.flat,
  });
}

bench.finish({
  tables,
  verdicts,
  notes: [
    'Bare clients carry a token fetched once as a static header, so the server does the same work for every alternative.',
    '"fetch + timeout signal (diagnostic)" has no target: bare fetch with an AbortController and a 30 s timer per request, which any fetch client that enforces a timeout pays on this Node (fetch follows the signal with listeners and a finalizer); createQuivoFetch pays it as well, for its per-attempt timeout.',
    `One AbortSignal (new AbortController().signal) took ${fmt(signalCost.usPerSignal, 2)} µs of CPU to make on ${signalCost.node}, garbage collection included (${signalCost.signals.toLocaleString('en-US')} in a fresh process, bench/lib/abort-signal-probe.mjs). Node 20 builds each by swapping an EventTarget's prototype, which Node 22 no longer does (nodejs/node#52408); undici's fetch makes one signal for every Request, and the diagnostic and createQuivoFetch one more each, for the timeout.`,
    `Where the fetch target is missed: part of the gap is what any fetch client that enforces a timeout pays here, the rest is ours (the policy and the wrapper): ${timeoutFloor.join('; ')}. axios needs no signal of ours (axios's own timeout is used), so its gap is ours alone.`,
    'Benchmark 8 counts the instructions each client executes per request (callgrind), which the load on this machine moves far less than req/s: how much of a gap here is work a client adds.',
    '"vs bare" is the median of per-round ratios (each round runs every alternative back to back in rotating order); min..max shows the spread.',
    '"client CPU µs/req" is process.cpuUsage() of the benchmark process over the trial divided by requests; it measures our overhead even where req/s is bound by the server or the loopback.',
    `"server CPU" is the simulator process's CPU over the trial as a share of one core; near 100% means req/s is server-bound there.`,
    `The heap run (${HEAP.total.toLocaleString('en-US')} requests through each of ours, both at once, each in its own process with --expose-gc) took ${fmt(heapSeconds, 0)} s.`,
    `Heap flatness: least-squares slope of heapUsed (after two gc() calls) over the samples after the first block, times the requests in between; flat when below ${mib(HEAP_FLAT_LIMIT_BYTES)} (a leak of one 100-byte object per request would show ${mib(100 * (HEAP.total - HEAP.every))} over the ${(HEAP.total - HEAP.every).toLocaleString('en-US')} requests fitted).`,
  ],
  raw: { byConcurrency: byConcurrency.map(({ concurrency, total, results }) => ({ concurrency, total, results: Object.fromEntries(results) })), summaries, heap, heapSeconds, signalCost, profiles },
});
