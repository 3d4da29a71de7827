import { describe, expect, it } from '@jest/globals';
import { LoadGenerator } from '../../../src/sandbox/core/generator.js';
import { createCore } from '../../../src/sandbox/core/sandbox-context.js';

describe('rate limiter', () => {
  it('bans a burst over the limit and recovers after the ban', () => {
    const { ctx, clock } = createCore();
    const limit = { perSecond: 5, banMs: 10_000 };
    const answers = Array.from({ length: 6 }, () => ctx.limiter.take('app:1', limit));
    expect(answers.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(answers[5]).toBe(10_000);
    clock.advance(4_000);
    const left = ctx.limiter.take('app:1', limit); // the sandbox clock also runs in real time
    expect(left).toBeGreaterThan(5_000);
    expect(left).toBeLessThanOrEqual(6_000);
    expect(ctx.limiter.take('app:2', limit)).toBe(0);
    clock.advance(6_001);
    expect(ctx.limiter.take('app:1', limit)).toBe(0);
  });

  it('applies per-minute limits', () => {
    const { ctx, clock } = createCore();
    for (let i = 0; i < 100; i++) expect(ctx.limiter.take('jst', { perMinute: 100 })).toBe(0);
    expect(ctx.limiter.take('jst', { perMinute: 100 })).toBeGreaterThan(0);
    clock.advance(60_000);
    expect(ctx.limiter.take('jst', { perMinute: 100 })).toBe(0);
  });
});

describe('fault dice', () => {
  it('fails every call at rate 1 and none at rate 0', async () => {
    const { ctx } = createCore();
    ctx.faults.set('taobao', { errorRate: 1 });
    expect((await ctx.faultFor('taobao')).fail).toBe('server_error');
    ctx.faults.set('taobao', { timeoutRate: 1 });
    expect((await ctx.faultFor('taobao')).fail).toBe('timeout');
    ctx.faults.clear('taobao');
    expect((await ctx.faultFor('taobao')).fail).toBeUndefined();
  });
});

describe('load generator', () => {
  function run(seed: number) {
    const core = createCore({ seed, startAt: Date.UTC(2026, 10, 11) });
    const gen = new LoadGenerator(core.world, core.ctx.schedule, { shops: 10, perMinute: 600, seed });
    for (let m = 0; m < 10; m++) {
      gen.generate(600, core.clock.now());
      core.clock.advance(60_000);
    }
    return core;
  }

  it('is deterministic for a seed', () => {
    const a = run(123).world.orders({ platform: 'taobao' }).map((o) => `${o.orderId}|${o.stage}|${o.receiver.province}`);
    const b = run(123).world.orders({ platform: 'taobao' }).map((o) => `${o.orderId}|${o.stage}|${o.receiver.province}`);
    const c = run(124).world.orders({ platform: 'taobao' }).map((o) => `${o.orderId}|${o.stage}|${o.receiver.province}`);
    expect(a.length).toBeGreaterThan(1000);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('spreads orders over the shops and drives their lives', () => {
    const core = run(7);
    expect(core.world.shops()).toHaveLength(10);
    expect(core.world.orderCount).toBe(6000);
    core.clock.advance(2 * 86_400_000);
    const stages = new Set(core.world.orders({ platform: 'pinduoduo' }).map((o) => o.stage));
    expect(stages.has('shipped') || stages.has('delivered')).toBe(true);
    expect(core.world.erpOrders({}).length).toBeGreaterThan(4000);
  });
});
