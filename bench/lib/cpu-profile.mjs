// Where the time goes: runs requests through one alternative in a child process under
// --cpu-prof and summarises self time per function, ours (packages/*) marked.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** `name` is a client of clients.mjs, or 'policy.execute' for the pipeline alone. */
export async function profileAlternative({ name, url, total, concurrency, top = 15 }) {
  const probe = fileURLToPath(new URL(name === 'policy.execute' ? './profile-probe-policy.mjs' : './profile-probe.mjs', import.meta.url));
  const dir = await mkdtemp(join(tmpdir(), 'quivo-prof-'));
  try {
    const { stdout } = await execFileAsync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, probe, name, url ?? '-', String(total), String(concurrency)]);
    const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
    return { probe: stdout.trim(), ...summarise(JSON.parse(await readFile(join(dir, file), 'utf8')), total, top) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function summarise(profile, total, top) {
  const intervalUs = (profile.endTime - profile.startTime) / profile.samples.length;
  const hits = new Map();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const byFunction = new Map();
  let sampledUs = 0;
  for (const node of profile.nodes) {
    const us = (hits.get(node.id) ?? 0) * intervalUs;
    sampledUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url
      .replace(/^file:\/\//, '')
      .replace(/.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
      .replace(/.*\/(packages\/)/, '$1');
    const key = `${functionName || '(anonymous)'} ${where}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const entries = [...byFunction].sort((a, b) => b[1] - a[1]);
  const isOurs = ([key]) => key.includes('packages/');
  const row = ([fn, us]) => ({ function: fn, usPerRequest: us / total, share: us / sampledUs });
  return {
    // Includes the profile's idle samples; the top list shows how much of it is "(idle)".
    sampledUsPerRequest: sampledUs / total,
    usPerRequestByFunction: Object.fromEntries(entries.map(([fn, us]) => [fn, us / total])),
    oursUsPerRequest: entries.filter(isOurs).reduce((n, [, us]) => n + us, 0) / total,
    top: entries.slice(0, top).map(row),
    topOurs: entries.filter(isOurs).slice(0, top).map(row),
  };
}

/**
 * Functions whose self time per request grew most from `base` to `subject` (both summaries of
 * profileAlternative): where an alternative's extra cost goes. Idle is left out.
 */
export function profileDifference(subject, base, top = 15) {
  const names = new Set([...Object.keys(subject.usPerRequestByFunction), ...Object.keys(base.usPerRequestByFunction)]);
  return [...names]
    .filter((fn) => !fn.startsWith('(idle)'))
    .map((fn) => ({ function: fn, subject: subject.usPerRequestByFunction[fn] ?? 0, base: base.usPerRequestByFunction[fn] ?? 0 }))
    .map((row) => ({ ...row, delta: row.subject - row.base }))
    .sort((a, b) => b.delta - a.delta)
    .slice(0, top);
}

export function formatProfile(summary, top = 15) {
  const line = (r) => `${r.usPerRequest.toFixed(2).padStart(8)} µs/req ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.function}`;
  return [
    summary.probe,
    `sampled ${summary.sampledUsPerRequest.toFixed(1)} µs/request (idle included), of which packages/* (ours) ${summary.oursUsPerRequest.toFixed(1)} µs`,
    'top self time:',
    ...summary.top.slice(0, top).map(line),
    'top self time in packages/*:',
    ...summary.topOurs.slice(0, top).map(line),
  ].join('\n');
}
