// Child of bench/happy-path.mjs: what one AbortSignal costs to make on this Node, garbage
// collection included, in a fresh process. Prints one JSON line.
//   node bench/lib/abort-signal-probe.mjs [signals]
const total = Number(process.argv[2] ?? 200_000);
const make = () => new AbortController().signal;
for (let i = 0; i < 10_000; i++) make(); // warm up
const start = process.cpuUsage();
let aborted = 0;
for (let i = 0; i < total; i++) if (make().aborted) aborted += 1;
const cpu = process.cpuUsage(start);
console.log(JSON.stringify({ node: process.version, signals: total, usPerSignal: (cpu.user + cpu.system) / total, aborted }));
