// Runs every benchmark, one after the other, each in its own process, then writes
// bench/RESULTS.md from bench/results/*.json.
//   node bench/run-all.mjs                 all benchmarks (about 25 minutes on 2 cores, 13 of them callgrind's)
//   node bench/run-all.mjs --quick         a short smoke run of every script, written to
//                                          bench/results/quick/ (never over the recorded results)
//   node bench/run-all.mjs happy-path outage   only these (RESULTS.md keeps the others' last results)
//   node bench/run-all.mjs --report        only rewrite RESULTS.md
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { QUICK } from './lib/measure.mjs';
import { packagesIdentity, RESULTS_DIR } from './lib/report.mjs';
import { RESULTS_MD, writeResultsMarkdown } from './lib/results-markdown.mjs';

const BENCHMARKS = ['happy-path', 'limiter', 'throttling', 'outage', 'token-expiry', 'duplicate-orders', 'fleet', 'instructions'];
const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const unknown = only.filter((name) => !BENCHMARKS.includes(name));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${BENCHMARKS.join(', ')}`);
  process.exit(2);
}

// The benchmarks import the packages by name, i.e. their built dist/.
for (const pkg of ['core', 'axios', 'fetch', 'simulator']) {
  if (!existsSync(`${root}packages/${pkg}/dist/index.js`)) {
    console.error(`packages/${pkg}/dist is missing: run \`npx -y pnpm@10 run build\` at the root first.`);
    process.exit(1);
  }
}
const stale = packagesIdentity().staleDist;
if (stale.length) {
  console.warn(`warning: src/ is newer than dist/ in ${stale.join(', ')}: the results will describe the last build, not the working tree (\`npx -y pnpm@10 run build\`). RESULTS.md says so.`);
}

if (!args.includes('--report')) {
  const startedAt = new Date();
  const packages = packagesIdentity();
  const loadStart = os.loadavg();
  const t0 = performance.now();
  const failed = [];
  for (const name of only.length ? only : BENCHMARKS) {
    const { status } = spawnSync(process.execPath, [`${root}bench/${name}.mjs`, ...(QUICK ? ['--quick'] : [])], { stdio: 'inherit' });
    if (status !== 0) failed.push(`${name} (exit ${status})`);
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(
    new URL('_run.json', `file://${RESULTS_DIR}`),
    `${JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        durationMs: Math.round(performance.now() - t0),
        quick: QUICK,
        benchmarks: only.length ? only : BENCHMARKS,
        loadStart,
        loadEnd: os.loadavg(),
        packages,
        failed,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nall benchmarks: ${((performance.now() - t0) / 60000).toFixed(1)} min${failed.length ? `; FAILED: ${failed.join(', ')}` : ''}`);
  if (failed.length) process.exitCode = 1;
}

const results = writeResultsMarkdown();
const missed = results.flatMap((r) => r.verdicts.filter((v) => !v.met).map((v) => `${r.number}. ${v.target}`));
console.log(`wrote ${fileURLToPath(RESULTS_MD).slice(root.length)} (${results.length} benchmarks; ${missed.length} target(s) missed${missed.length ? `:\n  ${missed.join('\n  ')}` : ''})`);
