// Child of bench/instructions.mjs, run under `valgrind --tool=callgrind --instr-atstart=no`:
// warms one client up (JIT tiers, keep-alive sockets, the login), switches callgrind's
// instrumentation on, sends the measured requests, switches it off. Arguments:
//   <client name> <simulator url> <warm-up requests> <measured requests> <concurrency>
import { spawnSync } from 'node:child_process';
import { createClient } from './clients.mjs';
import { closedLoop } from './measure.mjs';

const [name, url, warm, measured, concurrency] = process.argv.slice(2);
const client = await createClient(name, { url });
const run = async (total) => {
  const { outcomes } = await closedLoop({ total, concurrency: Number(concurrency), send: () => client.request('GET', '/stock') });
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length > 0) throw new Error(`${failed.length} of ${total} requests failed: ${JSON.stringify(failed[0])}`);
};
const callgrind = (state) => spawnSync('callgrind_control', ['-i', state, String(process.pid)], { stdio: 'ignore' }).status;

// The login first, alone: a client that logs in on its first 401 would otherwise meet it at
// full concurrency (that is benchmark 5's subject, not this one's).
const first = await client.request('GET', '/stock');
if (!first.ok) throw new Error(`the first request failed: ${JSON.stringify(first)}`);
await run(Number(warm));
if (callgrind('on') !== 0) throw new Error('callgrind_control could not switch instrumentation on (not under callgrind?)');
await run(Number(measured));
callgrind('off');
process.exit(0);
