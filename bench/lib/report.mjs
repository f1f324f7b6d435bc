import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { QUICK } from './measure.mjs';

/** A --quick smoke run writes apart, so it never replaces the recorded results. */
export const RESULTS_DIR = fileURLToPath(new URL(QUICK ? '../results/quick/' : '../results/', import.meta.url));

/** Node, CPU, cores and the load at a point in time. */
export function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    platform: `${os.platform()} ${os.release()}`,
    totalMemoryGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = ['core', 'axios', 'fetch', 'simulator'];

/** Newest source file under a directory; tests are not built, so they do not count. */
function newestSource(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || /\.test(-d)?\.ts$/.test(entry.name) || /(^|\/)(test|testing)(\/|$)/.test(entry.parentPath ?? entry.path)) continue;
    latest = Math.max(latest, statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs);
  }
  return latest;
}

/**
 * Which build of our packages a benchmark measured: when each dist/ was built, the commit
 * checked out, and the packages whose src/ (tests aside) has changed since their dist/ was built.
 */
export function packagesIdentity() {
  const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const builds = PACKAGES.filter((pkg) => existsSync(`${ROOT}packages/${pkg}/dist/index.js`)).map((pkg) => ({
    pkg,
    builtAt: statSync(`${ROOT}packages/${pkg}/dist/index.js`).mtimeMs,
    stale: newestSource(`${ROOT}packages/${pkg}/src`) > statSync(`${ROOT}packages/${pkg}/dist/index.js`).mtimeMs,
  }));
  const builtAt = new Date(Math.max(...builds.map((b) => b.builtAt))).toISOString();
  return {
    head: git('log', '-1', '--format=%h %cI'),
    uncommittedInPackages: git('status', '--porcelain', 'packages') !== '',
    distBuiltAt: builtAt,
    staleDist: builds.filter((b) => b.stale).map((b) => b.pkg),
  };
}

export function describePackages(identity) {
  if (typeof identity === 'string') return identity;
  const [commit, committedAt] = identity.head.split(' ');
  const parts = [`dist/ built ${identity.distBuiltAt}`, `HEAD ${commit} (${committedAt})${identity.uncommittedInPackages ? ' + uncommitted changes in packages/' : ''}`];
  if (identity.staleDist.length) parts.push(`STALE: src/ newer than dist/ in ${identity.staleDist.join(', ')}`);
  return parts.join('; ');
}

/**
 * Samples os.loadavg() every few seconds while a benchmark runs: the other work on this
 * machine (other engineers' test runs) moves the timings, and the reader should know how much.
 */
export function startLoadSampler(everyMs = 5000) {
  const samples = [{ atMs: 0, loadavg: os.loadavg() }];
  const started = performance.now();
  const timer = setInterval(() => samples.push({ atMs: Math.round(performance.now() - started), loadavg: os.loadavg() }), everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      samples.push({ atMs: Math.round(performance.now() - started), loadavg: os.loadavg() });
      const ones = samples.map((s) => s.loadavg[0]);
      return { start: samples[0].loadavg, end: samples.at(-1).loadavg, min1: Math.min(...ones), max1: Math.max(...ones), samples };
    },
  };
}

/** Prints a table as aligned columns. */
export function printTable({ caption, columns, rows }) {
  const cells = [columns, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  if (caption) console.log(`\n${caption}`);
  cells.forEach((row, r) => {
    console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
    if (r === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

/**
 * Starts a benchmark: prints its header and returns `finish(result)`, which prints the
 * verdicts and writes bench/results/<name>.json.
 */
export function beginBenchmark({ name, number, title, workload, simulator }) {
  const startedAt = new Date();
  const t0 = performance.now();
  const load = startLoadSampler();
  const packages = packagesIdentity();
  console.log(`\n=== ${number}. ${title}${QUICK ? ' (quick)' : ''}`);
  console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  return {
    finish({ tables, verdicts, notes = [], raw = {} }) {
      for (const table of tables) printTable(table);
      console.log('');
      for (const v of verdicts) console.log(`${v.met ? 'MET   ' : 'MISSED'} ${v.target}: ${v.measured}${v.why ? ` (${v.why})` : ''}`);
      const result = {
        name,
        number,
        title,
        workload,
        simulator,
        quick: QUICK,
        date: startedAt.toISOString(),
        durationMs: Math.round(performance.now() - t0),
        environment: { ...machine(), load: load.stop(), packages },
        tables,
        verdicts,
        notes,
        raw,
      };
      mkdirSync(RESULTS_DIR, { recursive: true });
      writeFileSync(new URL(`${name}.json`, `file://${RESULTS_DIR}`), `${JSON.stringify(result, null, 2)}\n`);
      console.log(`wrote bench/results/${QUICK ? 'quick/' : ''}${name}.json (${(result.durationMs / 1000).toFixed(1)} s)`);
      return result;
    },
  };
}

export const SIMULATOR_IN_CHILD =
  'simulator in a child process (bench/lib/simulator-child.mjs, controlled over IPC), so client and server do not share an event loop';
