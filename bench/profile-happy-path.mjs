// Where the happy path's time goes: runs N requests through one alternative under
// --cpu-prof (in a child process) and prints the top self-time functions, with ours marked.
//   node bench/profile-happy-path.mjs [alternative] [requests] [concurrency]
//   node bench/profile-happy-path.mjs createQuivoFetch 20000 1
//   node bench/profile-happy-path.mjs policy.execute 200000   (the pipeline alone, no network)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulatorProcess } from './lib/simulator-process.mjs';

const [name = 'createQuivoFetch', total = '20000', concurrency = '1', top = '25'] = process.argv.slice(2);
const probe = fileURLToPath(new URL(name === 'policy.execute' ? './lib/profile-probe-policy.mjs' : './lib/profile-probe.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'quivo-prof-'));
const sim = await startSimulatorProcess({});
try {
  execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, probe, name, sim.url, total, concurrency], { stdio: 'inherit' });
} finally {
  await sim.close();
}
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
rmSync(dir, { recursive: true, force: true });

// Self time per node: samples hitting it times the mean sampling interval.
const intervalUs = (profile.endTime - profile.startTime) / profile.samples.length;
const hits = new Map();
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
const byFunction = new Map();
let totalUs = 0;
for (const node of profile.nodes) {
  const us = (hits.get(node.id) ?? 0) * intervalUs;
  totalUs += us;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^file:\/\//, '').replace(/.*\/node_modules\/\.pnpm\/([^/]+)\/node_modules\//, '$1:').replace(/.*\/packages\//, 'packages/');
  const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}
const ourShare = [...byFunction].filter(([k]) => k.includes('packages/')).reduce((n, [, us]) => n + us, 0);
const perRequest = (us) => (us / Number(total)).toFixed(2);
console.log(`\n${name}, ${total} requests at concurrency ${concurrency}: ${(totalUs / 1000).toFixed(0)} ms sampled, ${perRequest(totalUs)} µs/request; in packages/*: ${perRequest(ourShare)} µs/request (${((ourShare / totalUs) * 100).toFixed(1)}%)`);
console.log('self µs/req  share  function');
for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(`${perRequest(us).padStart(11)}  ${((us / totalUs) * 100).toFixed(1).padStart(4)}%  ${key.includes('packages/') ? '* ' : '  '}${key}`);
}
const ours = [...byFunction].filter(([k]) => k.includes('packages/')).sort((a, b) => b[1] - a[1]).slice(0, 15);
console.log('\ntop self time in packages/* (ours):');
for (const [key, us] of ours) console.log(`${perRequest(us).padStart(11)}  ${((us / totalUs) * 100).toFixed(1).padStart(4)}%  ${key}`);
