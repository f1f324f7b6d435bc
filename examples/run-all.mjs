/**
 * Runs the README snippet check, a type-check of the examples' JSDoc, every example and the
 * demo as child processes, one after another, and prints one line each. Exit code 1 if any
 * failed; its output is printed then.
 *
 * The root `npm test` runs this after the build, so the examples (and the README snippets
 * copied from them) cannot drift from the packages.
 *
 * Run: node examples/run-all.mjs [name ...]   (names filter, e.g. `abort demo`)
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// The workspace root's TypeScript checks the JSDoc types against the packages' built .d.ts.
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

// Cheap checks first. The demo runs too (~15 s): it is the one place the whole toolkit meets
// every fault at once, and it fails on a duplicate order.
const SCRIPTS = [
  'check-readme-snippets.mjs',
  'typecheck (tsc -p examples)',
  'axios-service.mjs',
  'fetch-app.mjs',
  'two-services.mjs',
  'ky-ofetch-openapi.mjs',
  'reading-errors.mjs',
  'abort.mjs',
  'demo.mjs',
];
/** @type {Record<string, string[]>} steps that are not `node examples/<name>`: name -> node arguments */
const STEPS = {
  'typecheck (tsc -p examples)': [tsc, '-p', here],
};
// Each example has its own 30 s (demo: 60 s) safety timer; this one catches a child that
// ignores it, e.g. one stuck before its timer was set.
const KILL_AFTER_MS = 90_000;

const only = process.argv.slice(2);
const selected = only.length === 0 ? SCRIPTS : SCRIPTS.filter((s) => only.some((name) => s.startsWith(name)));
if (selected.length === 0) {
  console.error(`no example matches ${only.join(', ')}; known: ${SCRIPTS.join(', ')}`);
  process.exit(2);
}

/**
 * @param {string} script
 * @returns {Promise<{ ok: boolean, ms: number, output: string, why: string }>}
 */
function run(script) {
  return new Promise((resolve) => {
    const started = performance.now();
    /** @type {Buffer[]} */
    const output = [];
    const child = spawn(process.execPath, STEPS[script] ?? [join(here, script)], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const why = signal ? `killed (${signal}) after ${KILL_AFTER_MS / 1000} s` : `exit code ${code}`;
      resolve({ ok: code === 0, ms: performance.now() - started, output: Buffer.concat(output).toString('utf8'), why });
    });
  });
}

const width = Math.max(...selected.map((s) => s.length));
const started = performance.now();
let failed = 0;
for (const script of selected) {
  const result = await run(script);
  const seconds = `${(result.ms / 1000).toFixed(1).padStart(5)} s`;
  console.log(`${result.ok ? 'pass' : 'FAIL'}  ${script.padEnd(width)}  ${seconds}${result.ok ? '' : `  (${result.why})`}`);
  if (!result.ok) {
    failed += 1;
    console.log(result.output.replace(/^/gm, '      | '));
  }
}
console.log(`\n${selected.length - failed}/${selected.length} passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = failed === 0 ? 0 : 1;
