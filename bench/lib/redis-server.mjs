import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';

/** True when a `redis-server` binary is on PATH (Debian: `apt-get install redis-server`). */
export const hasRedisServer = () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/** A Redis of the benchmark's own: a Unix socket in a fresh temporary folder, nothing saved. */
export async function startRedisServer() {
  const dir = mkdtempSync(join(tmpdir(), 'quivo-bench-redis-'));
  const path = join(dir, 'redis.sock');
  const server = spawn('redis-server', ['--port', '0', '--unixsocket', path, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => {
    server.once('exit', resolve);
    server.once('error', resolve);
  });
  // Ready once a client gets in (ioredis retries until then), or failed if the server exits first.
  const probe = new Redis({ path });
  probe.on('error', () => {});
  const ready = new Promise((resolve) => probe.once('ready', () => resolve(true)));
  const listening = await Promise.race([ready, exited.then(() => false)]);
  probe.disconnect();
  if (!listening) throw new Error(`redis-server exited before it listened on ${path}`);
  const version = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout.match(/v=(\S+)/)?.[1] ?? 'unknown';
  return {
    path,
    version,
    async close() {
      server.kill();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
