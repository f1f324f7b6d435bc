import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { CliUsageError, parseCliArgs } from './cli-args.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../bin/quivo-simulator.js', import.meta.url));
const builtCli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Rebuilds dist when a source file is newer than the built CLI, so the bin never runs stale code. */
function ensureFreshBuild(): void {
  const srcDir = fileURLToPath(new URL('.', import.meta.url));
  const newestSource = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.includes('test'))
    .reduce((newest, file) => Math.max(newest, statSync(`${srcDir}/${file}`).mtimeMs), 0);
  let builtAt = 0;
  try {
    builtAt = statSync(builtCli).mtimeMs;
  } catch {
    // Not built yet.
  }
  if (builtAt >= newestSource) return;
  const tsup = fileURLToPath(new URL('../../../node_modules/.bin/tsup', import.meta.url));
  const result = spawnSync(tsup, [], { cwd: packageDir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the simulator failed:\n${result.stderr}`);
}

function startBin(args: string[]): { child: ChildProcess; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exit };
}

function firstLineOf(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
  });
}

function stderrOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.once('exit', () => resolve(text));
  });
}

describe('parseCliArgs', () => {
  it('maps flags to simulator options', () => {
    const command = parseCliArgs([
      '--port', '8080', '--api-key', 'k1', '--api-key', 'k2', '--username', 'ops', '--password', 'pw',
      '--token-lifetime', '120', '--throttle-rate', '50', '--throttle-burst', '100', '--quota-limit', '1000',
      '--quota-window', '86400000', '--login-unthrottled', '--retry-after', '1', '--seed', '9',
      '--fault504', '0.05', '--fault-reset', '0.01', '--latency-ms', '20',
    ]);

    expect(command).toEqual({
      kind: 'run',
      options: expect.objectContaining({
        port: 8080,
        apiKeys: ['k1', 'k2'],
        users: [{ username: 'ops', password: 'pw' }],
        tokenLifetimeSeconds: 120,
        throttle: { rate: 50, burst: 100 },
        quota: { limit: 1000, windowMs: 86_400_000 },
        throttleLogin: false,
        retryAfterSeconds: 1,
        latencyMs: 20,
        random: { seed: 9, probabilities: { fault504: 0.05, reset: 0.01 }, includeLogin: false },
      }),
    });
  });

  it.each([
    [['--bogus']],
    [['--port', 'abc']],
    [['--throttle-rate', '5']],
    [['positional']],
  ])('rejects %j with a usage error', (args) => {
    expect(() => parseCliArgs(args)).toThrow(CliUsageError);
  });
});

describe('quivo-simulator bin', () => {
  beforeAll(ensureFreshBuild, 60_000);

  it('prints its URL, answers requests and exits cleanly on SIGTERM', async () => {
    const { child, exit } = startBin(['--port', '0', '--api-key', 'cli-key']);

    const line = await firstLineOf(child);
    expect(line).toMatch(/^Quivo simulator listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = line.slice('Quivo simulator listening on '.length);
    const res = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'x-api-key': 'cli-key', 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo', password: 'demo-password' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty('Token');

    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it.each([
    [['--throttle-rat', '5'], /Unknown option '--throttle-rat'/],
    [['--fault504', '3'], /random\.probabilities\.fault504 must be a probability/],
  ])('exits with code 2 and says why for %j', async (args, message) => {
    const { child, exit } = startBin(args);
    const stderr = stderrOf(child);

    expect(await exit).toBe(2);
    expect(await stderr).toMatch(message);
  });
});
