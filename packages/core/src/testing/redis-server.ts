import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';

/** True when a `redis-server` binary is on PATH (Debian: `apt-get install redis-server`). */
export const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/** A throwaway Redis for tests: no TCP port, a Unix socket in a fresh temporary folder, nothing saved. */
export interface TestRedis {
  readonly path: string;
  /** A client of the test's own, to read what bottleneck stored. */
  readonly client: Redis;
  /** Stops the server (as an outage would) and waits until it has exited. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'quivo-redis-'));
  const path = join(dir, 'redis.sock');
  const server: ChildProcess = spawn('redis-server', ['--port', '0', '--unixsocket', path, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  // A server that cannot start emits 'error' (and perhaps no 'exit'): either way it is gone.
  const exited = new Promise<void>((resolve) => {
    server.once('exit', () => resolve());
    server.once('error', () => resolve());
  });
  // ioredis retries the connection until the server listens: ready is an event, not a sleep.
  // (events.once would reject at the first refused connection; those are expected until then.)
  const client = new Redis({ path });
  client.on('error', () => {});
  const ready = new Promise<void>((resolve) => client.once('ready', () => resolve()));
  const failed = exited.then(() => Promise.reject(new Error(`redis-server exited before it listened on ${path}`)));
  try {
    await Promise.race([ready, failed]);
  } catch (error) {
    client.disconnect();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  failed.catch(() => {});
  const stop = async (): Promise<void> => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await exited;
    }
  };
  return {
    path,
    client,
    stop,
    async close() {
      client.disconnect();
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
