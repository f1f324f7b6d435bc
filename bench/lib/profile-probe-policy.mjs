// Child of bench/profile-happy-path.mjs for the alternative "policy.execute": the pipeline
// alone, no network (an attempt that resolves 200 at once), sequential calls.
import { createQuivoPolicy } from '@quivo-resilience/core';

const total = Number(process.argv[4]);
const hold = setInterval(() => {}, 60_000);
const policy = createQuivoPolicy({ baseURL: 'http://quivo.invalid', apiKey: 'k', login: async () => 'token' });
const request = { method: 'GET', url: 'http://quivo.invalid/stock' };
const okResponse = { status: 200, headers: {}, value: null };
const send = async () => okResponse;
for (let i = 0; i < 5000; i++) await policy.execute(request, send);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < total; i++) await policy.execute(request, send);
const cpu = process.cpuUsage(cpu0);
console.log(`policy.execute: ${((total / (performance.now() - t0)) * 1000).toFixed(0)} calls/s, ${((cpu.user + cpu.system) / total).toFixed(1)} µs CPU/call`);
clearInterval(hold);
