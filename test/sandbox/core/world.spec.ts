import { describe, expect, it } from '@jest/globals';
import type { WorldEvent } from '../../../src/sandbox/core/contract.js';
import { createCore } from '../../../src/sandbox/core/sandbox-context.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

function setup() {
  const core = createCore({ seed: 7 });
  const { world } = core;
  world.addApp({ platform: 'taobao', appKey: 'tb-app', appSecret: 'tb-secret' });
  const shop = world.addShop({ platform: 'taobao', shopId: '1001', appKey: 'tb-app', erpShopId: '9001' });
  const events: WorldEvent[] = [];
  world.on((e) => events.push(e));
  return { ...core, shop, events };
}

describe('MemoryWorld tokens', () => {
  it('reports valid, expired and revoked tokens instead of hiding them', () => {
    const { world, clock } = setup();
    const t = world.issueToken('taobao', '1001', { lifetimeMs: HOUR, refreshLifetimeMs: 24 * HOUR, rotateRefresh: false });
    expect(world.tokenLookup('taobao', t.accessToken)?.state).toBe('valid');
    expect(world.tokenLookup('taobao', 'nope')).toBeUndefined();
    clock.advance(HOUR + 1);
    expect(world.tokenLookup('taobao', t.accessToken)?.state).toBe('expired');
    t.revoked = true;
    expect(world.tokenLookup('taobao', t.accessToken)?.state).toBe('revoked');
  });

  it('discards the old refresh token when the platform rotates it, keeps it otherwise', () => {
    const { world } = setup();
    const first = world.issueToken('taobao', '1001', { lifetimeMs: HOUR, refreshLifetimeMs: 24 * HOUR, rotateRefresh: true });
    const second = world.issueToken('taobao', '1001', { lifetimeMs: HOUR, refreshLifetimeMs: 24 * HOUR, rotateRefresh: true, byRefreshToken: first.refreshToken });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(world.refreshLookup('taobao', first.refreshToken)?.state).toBe('discarded');
    expect(() => world.issueToken('taobao', '1001', { lifetimeMs: HOUR, refreshLifetimeMs: HOUR, rotateRefresh: true, byRefreshToken: first.refreshToken })).toThrow(/discarded/);
    const kept = world.issueToken('taobao', '1001', { lifetimeMs: HOUR, refreshLifetimeMs: HOUR, rotateRefresh: false, byRefreshToken: second.refreshToken });
    expect(kept.refreshToken).toBe(second.refreshToken);
    expect(kept.accessToken).not.toBe(second.accessToken);
  });

  it('auth codes are single use', () => {
    const { world } = setup();
    const code = world.createAuthCode('taobao', '1001');
    expect(world.takeAuthCode('taobao', code)?.shopId).toBe('1001');
    expect(world.takeAuthCode('taobao', code)).toBeUndefined();
  });
});

describe('MemoryWorld orders and memos', () => {
  it('keeps memo history for API and human writes and emits order.memo', () => {
    const { world, events } = setup();
    const o = world.addOrder({ platform: 'taobao', shopId: '1001' });
    world.writeMemo('taobao', o.orderId, { text: '修改地址为:x,kf01,2026-11-22', flag: 'yellow', by: 'api:tb-app', op: 'update' });
    world.writeMemo('taobao', o.orderId, { text: '顾客要求周末送', by: 'human:小王', op: 'update' });
    expect(o.memo).toBe('顾客要求周末送');
    expect(o.flag).toBe('yellow');
    expect(o.memoHistory.map((m) => m.by)).toEqual(['api:tb-app', 'human:小王']);
    expect(events.filter((e) => e.kind === 'order.memo')).toHaveLength(2);
    world.writeMemo('taobao', o.orderId, { text: 'x', by: 'api:tb-app', op: 'reset' });
    expect(o.memo).toBe('');
  });

  it('appends for append-only platforms', () => {
    const { world } = setup();
    const o = world.addOrder({ platform: 'taobao', shopId: '1001' });
    world.writeMemo('taobao', o.orderId, { text: 'a', by: 'api:k', op: 'append' });
    world.writeMemo('taobao', o.orderId, { text: 'b', by: 'api:k', op: 'append' });
    expect(o.memo).toBe('a\nb');
  });

  it('filters orders by shop and modified window, newest first', () => {
    const { world, clock } = setup();
    world.addShop({ platform: 'taobao', shopId: '1002', appKey: 'tb-app' });
    const t0 = clock.now();
    const a = world.addOrder({ platform: 'taobao', shopId: '1001' }, t0 - 3 * HOUR);
    const b = world.addOrder({ platform: 'taobao', shopId: '1001' }, t0 - 1 * HOUR);
    world.addOrder({ platform: 'taobao', shopId: '1002' }, t0 - 1 * HOUR);
    const inWindow = world.orders({ platform: 'taobao', shopId: '1001', modifiedFrom: t0 - 2 * HOUR, modifiedTo: t0 });
    expect(inWindow.map((o) => o.orderId)).toEqual([b.orderId]);
    world.writeMemo('taobao', a.orderId, { text: 'x', by: 'api:k', op: 'update' });
    expect(world.orders({ platform: 'taobao', shopId: '1001' }).map((o) => o.orderId)).toEqual([a.orderId, b.orderId]);
    expect(world.orders({ platform: 'taobao' })).toHaveLength(3);
  });

  it('gives Taobao ids beyond 2^53 as strings', () => {
    const { world } = setup();
    const o = world.addOrder({ platform: 'taobao', shopId: '1001' });
    expect(o.orderId).toMatch(/^\d{19}$/);
    expect(BigInt(o.orderId) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('closes unpaid orders at autoCloseAt (Taobao 3 days) but not paid ones', () => {
    const { world, clock } = setup();
    const unpaid = world.addOrder({ platform: 'taobao', shopId: '1001' });
    const paid = world.addOrder({ platform: 'taobao', shopId: '1001' });
    world.pay('taobao', paid.orderId);
    expect(unpaid.autoCloseAt).toBe(unpaid.createdAt + 3 * 24 * HOUR);
    clock.advance(3 * 24 * HOUR - MIN);
    expect(unpaid.stage).toBe('unpaid');
    clock.advance(2 * MIN);
    expect(unpaid.stage).toBe('closed_unpaid');
    expect(paid.stage).toBe('paid');
  });
});

describe('MemoryWorld ERP mirror', () => {
  it('mirrors a paid order as WaitConfirm, audits after 10 min, then Delivering and Sent on ship', () => {
    const { world, clock } = setup();
    const o = world.addOrder({ platform: 'taobao', shopId: '1001' });
    expect(world.erpOrderBySoId('9001', o.orderId)).toBeUndefined();
    world.pay('taobao', o.orderId);
    const erp = world.erpOrderBySoId('9001', o.orderId);
    expect(erp?.status).toBe('WaitConfirm');
    expect(erp?.receiver).toEqual(o.receiver);
    clock.advance(9 * MIN);
    expect(erp?.status).toBe('WaitConfirm');
    clock.advance(2 * MIN);
    expect(erp?.status).toBe('WaitFConfirm');
    expect(erp?.auditedAt).toBeDefined();
    clock.advance(10 * MIN);
    expect(erp?.status).toBe('Delivering');
    const tsBefore = erp?.ts ?? 0;
    world.ship('taobao', o.orderId, { carrierCode: 'zhongtong', trackingNo: '78000000000001' });
    expect(erp?.status).toBe('Sent');
    expect(erp?.ts).toBeGreaterThan(tsBefore);
    expect(world.shipmentByTracking('78000000000001')?.erpOrder).toBe(erp);
  });

  it('overwrites the ERP remark and keeps its history', () => {
    const { world } = setup();
    const o = world.addOrder({ platform: 'taobao', shopId: '1001' });
    world.pay('taobao', o.orderId);
    const erp = world.erpOrderBySoId('9001', o.orderId);
    world.writeErpRemark(erp?.oId ?? '', 'first', 'api:jst');
    world.writeErpRemark(erp?.oId ?? '', 'second', 'api:jst');
    expect(erp?.remark).toBe('second');
    expect(erp?.remarkHistory.map((r) => r.text)).toEqual(['first', 'second']);
  });

  it('an out-of-stock order goes to Question and is never audited', () => {
    const { world, clock } = setup();
    const o = world.addOrder({ platform: 'taobao', shopId: '1001' });
    world.pay('taobao', o.orderId);
    const erp = world.erpOrderBySoId('9001', o.orderId);
    world.setOutOfStock(erp?.oId ?? '');
    clock.advance(HOUR);
    expect(erp?.status).toBe('Question');
    expect(erp?.outOfStock).toBe(true);
    expect(erp?.auditedAt).toBeUndefined();
  });

  it('creates a reship once per outerAsId and ships it after 30 minutes', () => {
    const { world, clock, events } = setup();
    const o = world.addOrder({ platform: 'taobao', shopId: '1001' });
    world.pay('taobao', o.orderId);
    const input = { erpShopId: '9001', outerAsId: 'AS-1', soId: o.orderId, reason: '丢件', lineSkus: [{ skuId: o.lines[0].skuId, qty: 1 }] };
    const r1 = world.createReship(input);
    const r2 = world.createReship({ ...input, reason: 'again' });
    expect(r2).toBe(r1);
    expect(world.reships()).toHaveLength(1);
    const replacement = world.erpOrder(r1.replacementOId);
    expect(replacement?.isReship).toBe(true);
    expect(replacement?.lines.every((l) => l.priceFen === 0)).toBe(true);
    expect(replacement?.receiver).toEqual(o.receiver);
    expect(replacement?.shipment).toBeUndefined();
    clock.advance(29 * MIN);
    expect(replacement?.shipment).toBeUndefined();
    clock.advance(2 * MIN);
    expect(replacement?.shipment?.trackingNo).toBeTruthy();
    expect(replacement?.status).toBe('Sent');
    const shipped = events.filter((e) => e.kind === 'erp.reship.shipped');
    expect(shipped).toHaveLength(1);
    expect(world.shipmentByTracking(replacement?.shipment?.trackingNo ?? '')?.erpOrder).toBe(replacement);
  });
});
