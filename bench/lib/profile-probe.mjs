// Child of bench/profile-happy-path.mjs, run under --cpu-prof.
import { createClient } from './clients.mjs';
import { closedLoop } from './measure.mjs';

const [name, url, total, concurrency] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
const client = await createClient(name, { url });
const send = () => client.request('GET', '/stock');
await closedLoop({ total: 1000, concurrency, send });
const cpu0 = process.cpuUsage();
const { elapsedMs, outcomes } = await closedLoop({ total, concurrency, send });
const cpu = process.cpuUsage(cpu0);
console.log(`${name}: ${((total / elapsedMs) * 1000).toFixed(0)} req/s, ${((cpu.user + cpu.system) / total).toFixed(1)} µs CPU/request, ${outcomes.filter((o) => !o.ok).length} failures`);
