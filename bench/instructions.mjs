// Benchmark 8 (diagnostic): instructions executed per request, counted by valgrind's callgrind
// in the client process after a warm-up. Unlike req/s and CPU time, which move by 10-30 % from
// run to run on this shared VM, an instruction count repeats within a few per cent, so it says
// how much work a client adds over the bare one. It does not see the kernel, cache misses or
// waiting, which is why benchmark 1 measures req/s.
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fmt, QUICK, ratio } from './lib/measure.mjs';
import { beginBenchmark, SIMULATOR_IN_CHILD } from './lib/report.mjs';
import { startSimulatorProcess } from './lib/simulator-process.mjs';

const WARM = QUICK ? 2000 : 6000;
const MEASURED = QUICK ? 300 : 1000;
const ROUNDS = QUICK ? 1 : 2;
const CONCURRENCY = [1, 50];
const ALTERNATIVES = [
  { name: 'axios (bare)', bare: 'axios (bare)' },
  { name: 'axios + attachQuivo', bare: 'axios (bare)', ours: true },
  { name: 'axios-retry + axios-auth-refresh', bare: 'axios (bare)' },
  { name: 'fetch (bare)', bare: 'fetch (bare)' },
  { name: 'createQuivoFetch', bare: 'fetch (bare)', ours: true },
  { name: 'fetch + timeout signal (diagnostic)', bare: 'fetch (bare)' },
  { name: 'p-retry + fetch', bare: 'fetch (bare)' },
];
const probe = fileURLToPath(new URL('./lib/instructions-probe.mjs', import.meta.url));
const execFileAsync = promisify(execFile);

const bench = beginBenchmark({
  name: 'instructions',
  number: 8,
  title: 'Instructions per request (callgrind; diagnostic for benchmark 1)',
  workload: `GET /stock -> 200 through each client in a process of its own under valgrind --tool=callgrind: ${WARM} requests to warm up with instrumentation off, then ${MEASURED} counted, at concurrency ${CONCURRENCY.join(' and ')}; ${ROUNDS} round(s), two processes at a time; ours with credentials, default adaptive limiter and retries, as in benchmark 1`,
  simulator: SIMULATOR_IN_CHILD,
});

if (spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status !== 0) {
  bench.finish({ tables: [], verdicts: [], notes: ['Skipped: no valgrind on PATH (Debian: apt-get install valgrind).'], raw: { skipped: true } });
  process.exit(0);
}

async function countInstructions(name, url, concurrency) {
  const args = ['--tool=callgrind', '--instr-atstart=no', '--callgrind-out-file=/dev/null', process.execPath, probe, name, url, String(WARM), String(MEASURED), String(concurrency)];
  const { stderr } = await execFileAsync('valgrind', args, { maxBuffer: 1 << 24 });
  const collected = stderr.match(/Collected : (\d+)/);
  if (!collected) throw new Error(`no instruction count from callgrind for ${name}:\n${stderr.slice(-2000)}`);
  return Number(collected[1]) / MEASURED;
}

const sim = await startSimulatorProcess({});
const jobs = [];
for (let round = 0; round < ROUNDS; round++) for (const concurrency of CONCURRENCY) for (const alt of ALTERNATIVES) jobs.push({ round, concurrency, alt });
const counts = new Map();
// Two at a time: the count is the same whatever else runs, the wall time is halved.
let next = 0;
const worker = async () => {
  while (next < jobs.length) {
    const { concurrency, alt } = jobs[next++];
    const key = `${concurrency} ${alt.name}`;
    counts.set(key, [...(counts.get(key) ?? []), await countInstructions(alt.name, sim.url, concurrency)]);
    process.stdout.write('.');
  }
};
await Promise.all([worker(), worker()]);
console.log('');
await sim.close();

const rows = CONCURRENCY.flatMap((concurrency) =>
  ALTERNATIVES.map((alt) => {
    const runs = counts.get(`${concurrency} ${alt.name}`);
    // The least of the runs: noise only adds work (a GC cycle or a deopt that falls in one run).
    const bare = Math.min(...counts.get(`${concurrency} ${alt.bare}`));
    const perRequest = Math.min(...runs);
    return { concurrency, name: alt.name, bare: alt.bare, ours: alt.ours === true, perRequest, runs, ratio: perRequest / bare, added: perRequest - bare };
  }),
);

bench.finish({
  tables: CONCURRENCY.map((concurrency) => ({
    caption: `Concurrency ${concurrency}: instructions per request in the client process (the least of ${ROUNDS} runs; each run ${MEASURED} requests after ${WARM})`,
    columns: ['client', 'instructions / request', 'runs', 'vs bare', 'added / request'],
    rows: rows
      .filter((r) => r.concurrency === concurrency)
      .map((r) => [r.name, fmt(r.perRequest, 0), r.runs.map((n) => fmt(n / 1000, 0)).join(' / ') + ' k', r.name === r.bare ? '1 (baseline)' : `${ratio(r.ratio)} vs ${r.bare.split(' ')[0]}`, r.name === r.bare ? '-' : fmt(r.added, 0)]),
  })),
  verdicts: [],
  notes: [
    'No target: benchmark 1 holds the target (req/s). This one says how much of a miss there is work that ours adds, and how much is not (the machine, the kernel, caches).',
    `${spawnSync('valgrind', ['--version'], { encoding: 'utf8' }).stdout.trim()}, tool callgrind, instrumentation switched on and off by callgrind_control from the client itself.`,
    'Counted: user-space instructions of every thread of the client process (JIT-compiled code, V8, GC, libuv), from the moment the warm-up ends to the last measured response. Not counted: the kernel, the simulator (a separate process, not under valgrind).',
    'Runs of one client differ by up to 30 % (two modes, for old and new builds alike: GC and JIT timing fall in one run and not another); the runs column shows each, and the table takes the least, so compare the rows as ranges.',
  ],
  raw: { rows },
});
