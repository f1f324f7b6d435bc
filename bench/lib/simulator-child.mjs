// The simulator in a process of its own, so that the client under test and the server do not
// share an event loop (on a 2-core machine each gets a core). The parent drives it over IPC:
// { id, op, args } in, { id, result } or { id, error } out. See simulator-process.mjs.
import { EventEmitter } from 'node:events';
import { startQuivoSimulator } from '@quivo-resilience/simulator';

// Each latency fault adds an abort listener to the simulator's one shutdown signal, so more
// than 10 at once print MaxListenersExceededWarning (a simulator issue, reported; not a leak:
// the listeners go when the waits end). EventTargets take this default when created.
EventEmitter.defaultMaxListeners = 10_000;

const options = JSON.parse(process.argv[2] ?? '{}');
const sim = await startQuivoSimulator(options);

const operations = {
  stats: () => sim.stats(),
  resetStats: () => sim.resetStats(),
  setFaultRate: (rates) => sim.setFaultRate(rates),
  pushFaults: (faults) => sim.faults.push(...faults),
  clearFaults: () => sim.faults.clear(),
  expireTokens: () => sim.expireTokens(),
  // CPU time of this process, to show whether the server was the bottleneck of a run.
  cpuUsage: () => ({ ...process.cpuUsage(), at: performance.now() }),
  close: async () => {
    await sim.close();
    setImmediate(() => process.exit(0));
  },
};

process.on('message', async ({ id, op, args = [] }) => {
  try {
    const result = await operations[op](...args);
    process.send({ id, result: result ?? null });
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
});
// An orphaned simulator must not outlive the benchmark.
process.on('disconnect', () => process.exit(0));
process.send({ ready: true, url: sim.url });
