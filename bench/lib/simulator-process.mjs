import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const childPath = fileURLToPath(new URL('./simulator-child.mjs', import.meta.url));

export const API_KEY = 'test-api-key';
export const CREDENTIALS = Object.freeze({ username: 'demo', password: 'demo-password' });

/**
 * Starts `startQuivoSimulator(options)` in a child process and returns a handle whose methods
 * are the simulator's control calls, made over IPC (each resolves once the child has done it).
 * `options` must be JSON (no RegExp paths, no clock).
 */
export async function startSimulatorProcess(options = {}) {
  const child = fork(childPath, [JSON.stringify(options)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 1;
  const url = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`simulator exited with code ${code} before it was ready`)));
    child.on('message', (message) => {
      if (message.ready) return resolve(message.url);
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(message.error));
      else waiter.resolve(message.result);
    });
  });
  child.removeAllListeners('exit');
  const call = (op, ...args) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, op, args });
    });

  return {
    url,
    pid: child.pid,
    stats: () => call('stats'),
    resetStats: () => call('resetStats'),
    setFaultRate: (rates) => call('setFaultRate', rates),
    pushFaults: (...faults) => call('pushFaults', faults),
    clearFaults: () => call('clearFaults'),
    expireTokens: () => call('expireTokens'),
    cpuUsage: () => call('cpuUsage'),
    /** Starts a CPU meter; `stop()` gives the server's CPU use as a fraction of one core. */
    async cpuMeter() {
      const start = await call('cpuUsage');
      return {
        async stop() {
          const end = await call('cpuUsage');
          const cpuMicros = end.user - start.user + (end.system - start.system);
          return cpuMicros / 1000 / (end.at - start.at);
        },
      };
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await call('close').catch(() => {});
      await exited;
    },
  };
}
