import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { createCore } from '../../../src/sandbox/core/sandbox-context.js';
import { loadScenarioFile, parseScenario, ScenarioError } from '../../../src/sandbox/core/scenario.js';
import { applyScenario } from '../../../src/sandbox/core/scenario-runner.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const EXAMPLE = fileURLToPath(new URL('../scenarios/example.yaml', import.meta.url));

function problemsOf(text: string): string[] {
  try {
    parseScenario(text);
  } catch (err) {
    if (err instanceof ScenarioError) return err.problems;
    throw err;
  }
  return [];
}

function load(text: string) {
  const core = createCore({ seed: 3 });
  const result = applyScenario(core, parseScenario(text));
  return { ...core, result };
}

const SHOP = `
shops:
  - { platform: taobao, shopId: "1", appKey: k, erpShopId: "9", warehouseProvince: 广东省 }
`;

describe('scenario parsing', () => {
  it('names the field of each problem', () => {
    const problems = problemsOf(`
shops:
  - { platform: taobo, shopId: "1" }
orders:
  - platform: taobao
    shopId: "1"
    timeline:
      - { at: yesterday, step: pay }
      - { at: -1h, step: teleport }
faults:
  taobao: { errorRate: high }
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^shops\[0\]\.platform: must be one of/),
        expect.stringMatching(/^shops\[0\]\.appKey: is required/),
        expect.stringMatching(/^orders\[0\]\.timeline\[0\]\.at: expected a relative time/),
        expect.stringMatching(/^orders\[0\]\.timeline\[1\]\.step: must be one of/),
        expect.stringMatching(/^faults\.taobao\.errorRate: expected a number/),
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('rejects text that is not JSON or YAML, and unknown shops at load', () => {
    expect(problemsOf('{ "orders": [ }')[0]).toMatch(/not valid JSON\/YAML/);
    expect(() => load(`orders:\n  - { platform: taobao, shopId: "404", timeline: [ { at: "0", step: create } ] }`)).toThrow(/orders\[0\]\.shopId/);
  });

  it('keeps 19-digit ids exact from JSON and YAML', () => {
    const json = parseScenario('{"orders":[{"platform":"taobao","shopId":"1","orderId":2000000000000000123,"timeline":[{"at":"0","step":"create"}]}]}');
    expect(json.orders?.[0].orderId).toBe('2000000000000000123');
  });

  it('loads the example file', () => {
    const core = createCore({ seed: 1 });
    const r = applyScenario(core, loadScenarioFile(EXAMPLE));
    expect(r.orderIds).toHaveLength(7);
    expect(core.world.tokenLookup('taobao', 'tb-session-old')?.state).toBe('expired');
    expect(core.world.tokenLookup('taobao', 'tb-session-1')?.state).toBe('valid');
  });
});

describe('scenario lifecycle', () => {
  it('moves an order through its whole life with scans at zone speed', () => {
    const { world, clock, result } = load(`${SHOP}
orders:
  - platform: taobao
    shopId: "1"
    receiver: { province: 新疆维吾尔自治区 }
    timeline:
      - { at: -1h, step: create }
      - { at: -50m, step: pay }
      - { at: "0", step: ship, carrier: zhongtong, trackingNo: "7100" }
  - platform: taobao
    shopId: "1"
    receiver: { province: 湖南省 }
    timeline:
      - { at: -1h, step: create }
      - { at: -50m, step: pay }
      - { at: "0", step: ship, carrier: zhongtong, trackingNo: "7200" }
`);
    const far = world.order('taobao', result.orderIds[0]);
    const near = world.order('taobao', result.orderIds[1]);
    expect(far?.stage).toBe('shipped');
    expect(world.erpOrderBySoId('9', far?.orderId ?? '')?.status).toBe('Sent');
    expect(far?.shipment?.events).toHaveLength(0);
    clock.advance(6 * HOUR + 1);
    expect(far?.shipment?.events[0]?.state).toBe(1);
    clock.advance(2 * DAY);
    expect(near?.stage).toBe('delivered'); // 一区: 1–2 days after collection
    expect(far?.stage).toBe('shipped'); // 三区: 3–5 days
    const scans = far?.shipment?.events ?? [];
    for (let i = 1; i < scans.length; i++) expect(scans[i].time - scans[i - 1].time).toBeLessThanOrEqual(24 * HOUR);
    clock.advance(3 * DAY);
    expect(far?.stage).toBe('delivered');
    expect(far?.shipment?.events.at(-1)?.action).toBe('SIGNED');
    const signedAfter = (far?.shipment?.events.at(-1)?.time ?? 0) - (far?.shipment?.events[0].time ?? 0);
    expect(signedAfter).toBeGreaterThanOrEqual(3 * DAY);
    expect(signedAfter).toBeLessThanOrEqual(5 * DAY);
    clock.advance(7 * DAY);
    expect(far?.stage).toBe('finished');
  });

  it('produces stalled, never-collected, vanished and out-of-stock orders as declared', () => {
    const core = createCore({ seed: 5 });
    const r = applyScenario(core, loadScenarioFile(EXAMPLE));
    const { world, clock } = core;
    const [normal, unpaid, stalled, neverCollected, vanished, signedNotReceived, outOfStock] = r.orderIds.map((id) => world.order('taobao', id));
    expect(normal?.shipment?.events.length).toBeGreaterThan(0);
    expect(unpaid?.stage).toBe('unpaid');
    const stallAt = clock.now() - 60 * HOUR;
    expect(stalled?.shipment?.events.every((e) => e.time <= stallAt)).toBe(true);
    expect(stalled?.shipment?.pending).toHaveLength(0);
    expect(neverCollected?.stage).toBe('shipped');
    expect(neverCollected?.shipment?.events).toHaveLength(0);
    expect(vanished?.shipment?.trackingNo).toBe('770000000000099');
    expect(world.shipmentByTracking('770000000000099')?.shipment.events).toHaveLength(0);
    expect(signedNotReceived?.stage).toBe('delivered');
    expect(signedNotReceived?.shipment?.events.at(-1)?.context).toContain('快递柜');
    const erp = world.erpOrderBySoId('16000001', outOfStock?.orderId ?? '');
    expect(erp?.outOfStock).toBe(true);
    expect(erp?.status).toBe('Question');
    expect(outOfStock?.memoHistory.map((m) => m.by)).toEqual(['human:店长']);
    expect(world.erpOrderBySoId('16000001', normal?.orderId ?? '')?.auditedAt).toBe((normal?.paidAt ?? 0) + 10 * 60_000);
    clock.advance(10 * DAY);
    expect(stalled?.stage).toBe('shipped');
    expect(neverCollected?.shipment?.events).toHaveLength(0);
    expect(unpaid?.stage).toBe('closed_unpaid');
    expect(core.faults.get('kuaidi100').pushDuplicateRate).toBe(0.05);
  });
});
