import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_RATE_RULES, PlatformRegistry } from '../../src/platforms/registry.js';
import type { RateLimiter, RateRule } from '../../src/platforms/shared/rate-limiter.port.js';
import { FakePlatformServer } from './support/fake-platform.server.js';

class RecordingLimiter implements RateLimiter {
  readonly keys: string[] = [];
  async tryAcquire(key: string, _rule: RateRule) {
    this.keys.push(key);
    return { allowed: true, retryAfterMs: 0 };
  }
}

describe('PlatformRegistry', () => {
  const server = new FakePlatformServer();
  beforeAll(async () => server.start());
  afterAll(async () => server.stop());

  it('builds the adapter matching each connection', () => {
    const r = new PlatformRegistry();
    expect(r.marketplace({ platform: 'taobao', shopId: 's1', routerUrl: 'http://x', appKey: 'a', appSecret: 'b' }).capabilities.remarkMode).toBe('replace');
    expect(r.marketplace({ platform: 'pinduoduo', shopId: 's2', routerUrl: 'http://x', clientId: 'a', clientSecret: 'b' }).platform).toBe('pinduoduo');
    const ks = r.marketplace({ platform: 'kuaishou', shopId: 's3', baseUrl: 'http://x', appKey: 'a', appSecret: 'b', signSecret: 'c' });
    expect(ks.capabilities).toMatchObject({ remarkMode: 'append', tracking: false });
  });

  it('passes the shared rate limits before calling the platform', async () => {
    const limiter = new RecordingLimiter();
    const erp = new PlatformRegistry({ limiter }).erp({ accountId: 'acc1', baseUrl: `${server.baseUrl}/jushuitan`, appKey: 'jk', appSecret: 'js', accessToken: 'jt' });
    server.reply({ body: JSON.stringify({ code: 0, data: { datas: [] } }) });
    await erp.getShipment('1');
    expect(limiter.keys).toEqual(['jst:app:jk:s', 'jst:app:jk:m']);
  });

  it('limits the PDD increment list per shop only for that API', () => {
    const rules = DEFAULT_RATE_RULES({ platform: 'pinduoduo', app: 'cid', shop: 'm1' });
    expect(rules).toEqual([{ key: 'pdd:shop:m1:incr', api: 'pdd.order.number.list.increment.get', rule: { limit: 3000, windowMs: 60_000 } }]);
  });
});
