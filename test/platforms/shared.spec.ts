import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { decide, PlatformError } from '../../src/platforms/errors.js';
import { beijingDate, formatBeijing, msUntilBeijingMidnight, parseBeijing, parsePlatformTime } from '../../src/platforms/shared/beijing-time.util.js';
import { parseLosslessJson } from '../../src/platforms/shared/lossless-json.util.js';
import { MemoryRateLimiter } from '../../src/platforms/shared/memory.rate-limiter.js';
import { yuanToFen } from '../../src/platforms/shared/money.util.js';
import { RateGate } from '../../src/platforms/shared/rate.gate.js';
import { redact } from '../../src/platforms/shared/redact.util.js';
import { RedisRateLimiter } from '../../src/platforms/shared/redis.rate-limiter.js';
import { PlatformHttpClient } from '../../src/platforms/shared/platform-http.client.js';
import { FakePlatformServer } from './support/fake-platform.server.js';

const err = (code: PlatformError['code'], retryAfterMs?: number) =>
  new PlatformError({ code, platform: 'taobao', rawCode: 'x', rawMessage: 'y', retryAfterMs });

describe('lossless JSON', () => {
  it('keeps a 19-digit tid and a PDD frame id above 2^53 exact', () => {
    const parsed = parseLosslessJson('{"tid":1234567890123456789,"id":9007199254740993,"n":42,"amt":12.3}') as Record<string, unknown>;
    expect(parsed.tid).toBe('1234567890123456789');
    expect(parsed.id).toBe('9007199254740993');
    expect(parsed.n).toBe(42);
    expect(parsed.amt).toBe(12.3);
  });
});

describe('Beijing time', () => {
  it('formats a UTC evening as the next Beijing day', () => {
    const d = new Date('2026-11-21T16:30:05Z');
    expect(formatBeijing(d)).toBe('2026-11-22 00:30:05');
    expect(beijingDate(d)).toBe('2026-11-22');
  });
  it('formats across a year boundary and parses back', () => {
    const d = new Date('2026-12-31T20:00:00Z');
    expect(formatBeijing(d)).toBe('2027-01-01 04:00:00');
    expect(parseBeijing('2027-01-01 04:00:00').toISOString()).toBe('2026-12-31T20:00:00.000Z');
  });
  it('reads epoch seconds and milliseconds alike', () => {
    expect(parsePlatformTime(1700000000)?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(parsePlatformTime(1700000000000)?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(parsePlatformTime('')).toBeNull();
  });
  it('counts down to Beijing midnight', () => {
    expect(msUntilBeijingMidnight(new Date('2026-11-22T15:00:00Z'))).toBe(3600_000);
  });
});

describe('money', () => {
  it('converts yuan to integer fen without float drift', () => {
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen('19.90')).toBe(1990);
    expect(yuanToFen(1.1)).toBe(110);
    expect(yuanToFen('100')).toBe(10000);
    expect(yuanToFen('')).toBe(0);
  });
});

describe('redaction', () => {
  it('removes secret values and token parameters', () => {
    const out = redact('bad call access_token=abc123xyz&x=1 with secret helloworld', ['helloworld']);
    expect(out).not.toContain('abc123xyz');
    expect(out).not.toContain('helloworld');
    expect(out).toContain('x=1');
  });
});

describe('decide', () => {
  it('waits the ban time on rate limits', () => {
    expect(decide(err('RATE_LIMITED', 17_000), 1)).toEqual({ kind: 'retry', afterMs: 17_000 });
  });
  it('backs off transient failures and gives up eventually', () => {
    expect(decide(err('TRANSIENT'), 1)).toEqual({ kind: 'retry', afterMs: 1000 });
    expect(decide(err('TRANSIENT'), 3)).toEqual({ kind: 'retry', afterMs: 4000 });
    expect(decide(err('TRANSIENT'), 6)).toEqual({ kind: 'fail', reason: 'TRANSIENT' });
  });
  it('re-authorises on auth errors, refreshing only for expiry', () => {
    expect(decide(err('AUTH_EXPIRED'), 1)).toEqual({ kind: 'reauthorize', refresh: true });
    expect(decide(err('AUTH_REVOKED'), 1)).toEqual({ kind: 'reauthorize', refresh: false });
  });
  it('never retries permanent failures or foreign errors', () => {
    for (const code of ['INVALID_REQUEST', 'NOT_FOUND', 'PERMANENT'] as const) {
      expect(decide(err(code), 1)).toEqual({ kind: 'fail', reason: code });
    }
    expect(decide(new Error('bug'), 1)).toEqual({ kind: 'fail', reason: 'PERMANENT' });
  });
});

describe('MemoryRateLimiter', () => {
  it('allows a burst up to the limit, then reports the refill wait', async () => {
    let now = 1_000_000;
    const limiter = new MemoryRateLimiter(() => now);
    const rule = { limit: 2, windowMs: 1000 };
    expect((await limiter.tryAcquire('shop:1', rule)).allowed).toBe(true);
    expect((await limiter.tryAcquire('shop:1', rule)).allowed).toBe(true);
    expect(await limiter.tryAcquire('shop:1', rule)).toEqual({ allowed: false, retryAfterMs: 500 });
    expect((await limiter.tryAcquire('shop:2', rule)).allowed).toBe(true);
    now += 500;
    expect((await limiter.tryAcquire('shop:1', rule)).allowed).toBe(true);
    expect((await limiter.tryAcquire('shop:1', rule)).allowed).toBe(false);
  });
  it('RateGate waits out the denial before passing', async () => {
    let now = 0;
    const waits: number[] = [];
    const gate = new RateGate(new MemoryRateLimiter(() => now), [{ key: 'app', rule: { limit: 1, windowMs: 1000 } }], async (ms) => {
      waits.push(ms);
      now += ms;
    });
    await gate.pass('x');
    await gate.pass('x');
    expect(waits).toEqual([1000]);
  });
});

describe('RedisRateLimiter (real Redis)', () => {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
  const prefix = `kb:test:rl:${process.pid}:${Date.now()}:`;
  beforeAll(async () => redis.connect());
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('shares a fixed window between two limiter instances', async () => {
    const a = new RedisRateLimiter(redis, prefix);
    const b = new RedisRateLimiter(redis, prefix);
    const rule = { limit: 3, windowMs: 60_000 };
    const results = [await a.tryAcquire('app:k', rule), await b.tryAcquire('app:k', rule), await a.tryAcquire('app:k', rule)];
    expect(results.every((r) => r.allowed)).toBe(true);
    const denied = await b.tryAcquire('app:k', rule);
    expect(denied.allowed).toBe(false);
    expect(denied.retryAfterMs).toBeGreaterThan(0);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect((await a.tryAcquire('app:other', rule)).allowed).toBe(true);
    expect(await redis.pttl(`${prefix}app:k:3/60000`)).toBeGreaterThan(0);
  });
});

describe('PlatformHttpClient', () => {
  const server = new FakePlatformServer();
  beforeAll(async () => server.start());
  afterAll(async () => server.stop());

  it('turns an HTML gateway error into a TRANSIENT error without leaking secrets', async () => {
    server.reply({ status: 502, body: '<html>bad gateway for token s3cr3t-token</html>' });
    const http = new PlatformHttpClient({ platform: 'pinduoduo', secrets: () => ['s3cr3t-token'] });
    const failure = await http.send({ method: 'GET', url: `${server.baseUrl}/x`, api: 'x' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PlatformError);
    expect((failure as PlatformError).code).toBe('TRANSIENT');
    expect((failure as PlatformError).message).not.toContain('s3cr3t-token');
  });
  it('reports a refused connection as TRANSIENT', async () => {
    const http = new PlatformHttpClient({ platform: 'kuaishou', secrets: () => [] });
    const failure = await http.send({ method: 'GET', url: 'http://127.0.0.1:1/x', api: 'x' }).catch((e: unknown) => e);
    expect((failure as PlatformError).code).toBe('TRANSIENT');
  });
});
