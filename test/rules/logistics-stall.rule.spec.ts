import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/config.loader.js';
import { LogisticsStallRule, type StallSettings } from '../../src/rules/logistics-stall.rule.js';
import type { OrderSnapshot } from '../../src/rules/rule.js';

const config = loadConfig({ env: { NODE_ENV: 'test', KEFU_MASTER_KEY: Buffer.alloc(32).toString('base64') } });
const settings: StallSettings = {
  thresholdsHours: config.logistics.thresholdsHours,
  escalateAfterHours: config.logistics.escalateAfterHours,
  promotions: config.promotions,
  botId: config.remarks.botId,
  buyerMessage: null,
  fakeShipAfterHours: 72,
};
const HOUR = 3_600_000;
// An ordinary day: 2026-12-02 14:00 Shanghai, outside 618 and 双11.
const NOW = new Date('2026-12-02T06:00:00Z');
const rule = new LogisticsStallRule();

function order(sh: Partial<OrderSnapshot['shipments'][number]>): OrderSnapshot {
  return {
    orderId: 9, shopId: 1, platform: 'kuaishou', platformOrderId: '2611220000000009', status: 'shipped',
    placedAt: null, paidAt: null, province: null, sellerMemo: null, sellerFlag: 'none', erpStatus: null, buyerRef: null, reminders: [],
    shipments: [{ id: 31, carrierCode: 'zhongtong', trackingNo: '78000000000031', consignedAt: new Date(NOW.getTime() - 100 * HOUR), lastEventAt: null, lastEventDesc: null, state: 'in_transit', zone: 1, stallFlag: null, stalledAt: null, ...sh }],
  };
}
const run = (o: OrderSnapshot, now = NOW, s = settings) => rule.evaluate({ order: o, settings: s, now });
const lastEvent = (hoursAgo: number) => ({ lastEventAt: new Date(NOW.getTime() - hoursAgo * HOUR), lastEventDesc: '【广州市】快件已到达 广州转运中心' });

describe('stalled logistics (rules.md §4)', () => {
  it('zone 1: 23 h without an update → nothing, 25 h → chased', () => {
    expect(run(order({ zone: 1, ...lastEvent(23) }))).toMatchObject({ fired: false, reason: expect.stringContaining('未超过24小时') });
    const chased = run(order({ zone: 1, ...lastEvent(25) }));
    expect(chased.fired).toBe(true);
    if (!chased.fired) return;
    expect(chased.decisions).toEqual([
      { type: 'write_remark', key: `chase:31:${NOW.getTime() - 25 * HOUR}:marketplace`, target: 'marketplace', fields: { kind: 'chased' }, agentId: '系统', flag: 'blue' },
      expect.objectContaining({ type: 'open_task', taskType: 'chase_logistics', role: 'in_sale', reason: expect.stringContaining('最后物流:【广州市】快件已到达 广州转运中心') }),
    ]);
  });

  it('zone 2: 30 h → nothing, 49 h → chased; zone 3 likewise at 48 h', () => {
    expect(run(order({ zone: 2, ...lastEvent(30) })).fired).toBe(false);
    expect(run(order({ zone: 2, ...lastEvent(49) })).fired).toBe(true);
    expect(run(order({ zone: 3, ...lastEvent(47) })).fired).toBe(false);
    expect(run(order({ zone: 3, ...lastEvent(49) })).fired).toBe(true);
  });

  it('tells the scheduler when to look again instead of rescanning', () => {
    const r = run(order({ zone: 1, ...lastEvent(20) }));
    expect(r.nextCheckAt?.getTime()).toBe(NOW.getTime() - 20 * HOUR + 24 * HOUR + 1);
  });

  it('not collected at 25 h → chased, unless inside a promotion window', () => {
    const consigned = (h: number) => ({ consignedAt: new Date(NOW.getTime() - h * HOUR) });
    expect(run(order(consigned(23))).fired).toBe(false);
    expect(run(order(consigned(25)))).toMatchObject({ fired: true, reason: expect.stringContaining('未揽收') });
    const inDouble11 = new Date('2026-11-11T04:00:00Z');
    const promo = rule.evaluate({ order: order({ consignedAt: new Date(inDouble11.getTime() - 25 * HOUR) }), settings, now: inDouble11 });
    expect(promo).toMatchObject({ fired: false, reason: expect.stringContaining('大促(双11)') });
  });

  it('a waybill that never shows an event becomes a fake-ship task', () => {
    const r = run(order({ consignedAt: new Date(NOW.getTime() - 80 * HOUR) }));
    expect(r.fired && r.decisions.find((d) => d.type === 'open_task')).toMatchObject({ taskType: 'fake_ship' });
  });

  it('keeps the same keys for one stall (chased once) and new keys after a new event', () => {
    const a = run(order({ zone: 1, ...lastEvent(25) }));
    const b = run(order({ zone: 1, ...lastEvent(25) }), new Date(NOW.getTime() + 2 * HOUR));
    const c = run(order({ zone: 1, lastEventAt: new Date(NOW.getTime() - 26 * HOUR + 30 * 60_000), lastEventDesc: '派件中' }));
    const keys = (r: typeof a) => (r.fired ? r.decisions.map((d) => d.key) : []);
    expect(keys(b)).toEqual(keys(a));
    expect(keys(c)).not.toEqual(keys(a));
  });

  it('escalates to reship-or-refund 24 h after the chase with still nothing new', () => {
    const stalledAt = new Date(NOW.getTime() - 25 * HOUR);
    const r = run(order({ zone: 1, ...lastEvent(50), stallFlag: 'no_update', stalledAt }));
    expect(r.fired && r.decisions.map((d) => (d.type === 'open_task' ? d.taskType : d.type))).toEqual(['write_remark', 'chase_logistics', 'reship_or_refund']);
  });

  it('ignores signed parcels and says so', () => {
    expect(run(order({ state: 'signed', ...lastEvent(200) }))).toEqual({ fired: false, reason: '没有在途包裹', nextCheckAt: undefined });
  });
});
