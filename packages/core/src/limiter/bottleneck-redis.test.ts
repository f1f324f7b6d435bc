import Bottleneck from 'bottleneck';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQuivoPolicy } from '../create-quivo-policy.js';
import type { AttemptResponse, QuivoRateLimitOptions } from '../policy-types.js';
import { isQuivoError } from '../quivo-error.js';
import { answers, type FakeAnswer } from '../testing/fake-transport.js';
import { hasRedisServer, startRedis, type TestRedis } from '../testing/redis-server.js';

// bottleneck's clustered mode against a real Redis: the fleet case that rateLimit.bottleneck is
// for. Runs where `redis-server` is on PATH (CI installs Debian's); skipped, and says so, elsewhere.
const URL = 'https://api.quivo.test/stock';
let redis: TestRedis;
const limiters: Bottleneck[] = [];

/** One app instance's view of the fleet's limiter: its own bottleneck, the cluster's shared state. */
function fleetLimiter(settings: Bottleneck.ConstructorOptions = {}): Bottleneck {
  const limiter = new Bottleneck({ id: 'quivo-fleet', datastore: 'ioredis', clientOptions: { path: redis.path }, clearDatastore: false, ...settings });
  limiter.on('error', () => {});
  limiters.push(limiter);
  return limiter;
}

function policyWith(rateLimit: QuivoRateLimitOptions) {
  return createQuivoPolicy({ baseURL: 'https://api.quivo.test', apiKey: 'key-123456', rateLimit });
}

/** A transport answering from a list, then 200s. */
function replies(...first: FakeAnswer[]) {
  return async (): Promise<AttemptResponse<null>> => {
    const answer = first.shift() ?? answers.ok();
    return { status: answer.status, headers: answer.headers ?? {}, body: answer.body, value: null };
  };
}

const clusterMinTime = async () => Number(await redis.client.hget('b_quivo-fleet_settings', 'minTime'));

describe.skipIf(!hasRedisServer)('rateLimit.bottleneck with a Redis-clustered bottleneck', () => {
  beforeEach(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(limiters.splice(0).map((limiter) => limiter.disconnect(false).catch(() => {})));
    await redis.close();
  });

  it("keeps the fleet's own minTime through a 429 and the successes after it when no rate is configured", async () => {
    const limiter = fleetLimiter({ minTime: 10 });
    await limiter.ready();
    const policy = policyWith({ bottleneck: limiter });
    const send = replies(answers.throttled());
    for (let i = 0; i < 60; i++) await policy.execute({ method: 'GET', url: URL }, send);
    expect(await clusterMinTime()).toBe(10);
  });

  it('with a rate configured, a 429 at one instance widens minTime for the whole cluster, and successes bring it back', async () => {
    const [first, second] = [fleetLimiter({ minTime: 10 }), fleetLimiter({ minTime: 10 })];
    await Promise.all([first.ready(), second.ready()]);
    const one = policyWith({ bottleneck: first, requestsPerSecond: 100 });
    await one.execute({ method: 'GET', url: URL }, replies(answers.throttled()));
    // What the other instance schedules by: the settings in Redis.
    expect(await clusterMinTime()).toBe(15);
    for (let i = 0; i < 40; i++) await one.execute({ method: 'GET', url: URL }, replies());
    expect(await clusterMinTime()).toBe(10);
  });

  it("holds maxConcurrent across instances: two policies' attempts never overlap at 1", async () => {
    const policies = [fleetLimiter({ maxConcurrent: 1 }), fleetLimiter({ maxConcurrent: 1 })].map((bottleneck) => policyWith({ bottleneck }));
    let inFlight = 0;
    let most = 0;
    const send = async (): Promise<AttemptResponse<null>> => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      // Held for three Redis round trips: the other instance's bottleneck needs about as many
      // to start a job, so without the cluster-wide limit the two would overlap here.
      for (let i = 0; i < 3; i++) await redis.client.ping();
      inFlight -= 1;
      return { status: 200, headers: {}, value: null };
    };
    const results = await Promise.all(policies.flatMap((policy) => Array.from({ length: 5 }, () => policy.execute({ method: 'GET', url: URL }, send))));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(most).toBe(1);
  });

  it('fails a request with LIMITER_FAILED when Redis is gone, sending nothing, without a hang or an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      // ioredis gives a command up after this many reconnects (its default, 20, takes seconds).
      const limiter = fleetLimiter({ clientOptions: { path: redis.path, maxRetriesPerRequest: 1 } });
      await limiter.ready();
      const policy = policyWith({ bottleneck: limiter, requestsPerSecond: 100 });
      await policy.execute({ method: 'GET', url: URL }, replies(answers.throttled()));
      await redis.stop();
      let sent = 0;
      const error = await policy
        .execute({ method: 'GET', url: URL }, async () => {
          sent += 1;
          return { status: 200, headers: {}, value: null };
        })
        .then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
      expect(isQuivoError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'LIMITER_FAILED', source: 'client', outcome: 'not-executed', method: 'GET', url: URL });
      expect((error as Error).message).toMatch(/^not sent: the rate limiter failed \(.*max retries per request/);
      expect((error as { trail: unknown[] }).trail).toEqual([{ attempt: 1, code: 'LIMITER_FAILED', action: 'give-up', reason: 'the rate limiter failed' }]);
      expect(sent).toBe(0);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
