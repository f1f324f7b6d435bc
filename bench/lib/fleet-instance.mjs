// One app instance of benchmark 7, in a process of its own: a policy (in-process limiter, or a
// bottleneck clustered through Redis) and a fetch client. Logs in when started, then on
// { go } sends its share of GET /stock at its concurrency and reports the outcomes.
import Bottleneck from 'bottleneck';
import Redis from 'ioredis';
import { createClient, createPolicy } from './clients.mjs';
import { closedLoop } from './measure.mjs';

const { url, rateLimit, cluster } = JSON.parse(process.argv[2]);
let bottleneck;
if (cluster) {
  bottleneck = new Bottleneck({ id: cluster.id, datastore: 'ioredis', Redis, clientOptions: { path: cluster.redisPath, maxRetriesPerRequest: 1 }, minTime: cluster.minTime });
  bottleneck.on('error', () => {});
  await bottleneck.ready();
}
const policy = createPolicy(url, { fetch, rateLimit: bottleneck ? { ...rateLimit, bottleneck } : rateLimit });
const client = await createClient('createQuivoFetch', { url, policy });
await client.request('GET', '/stock'); // the login, outside the count
process.send({ ready: true });

process.on('message', async ({ go, total, concurrency }) => {
  if (!go) return;
  const run = await closedLoop({ total, concurrency, send: () => client.request('GET', '/stock') });
  process.send({ done: true, elapsedMs: run.elapsedMs, failures: run.outcomes.filter((o) => !o.ok).map((o) => [o.status, o.code].filter(Boolean).join(' ')) });
  await bottleneck?.disconnect(false);
  process.exit(0);
});
