import { describe, expect, it } from '@jest/globals';
import { memoLineHash } from '../../src/remarks/remark-parser.js';
import { MemoRemarksRule, remarkFixKey } from '../../src/rules/memo-remarks.rule.js';
import type { OrderSnapshot } from '../../src/rules/rule.js';

const rule = new MemoRemarksRule();
const order = (sellerMemo: string | null, extra: Partial<OrderSnapshot> = {}): OrderSnapshot => ({
  orderId: 9, shopId: 1, platform: 'taobao', platformOrderId: '3920487712345678911', status: 'paid', placedAt: null, paidAt: null,
  province: '浙江省', sellerMemo, sellerFlag: 'none', erpStatus: null, buyerRef: null, shipments: [], reminders: [], ...extra,
});
const run = (memo: string | null, extra: Partial<OrderSnapshot> = {}) => rule.evaluate({ order: order(memo, extra), settings: { botId: '系统' }, now: new Date() });
const ADDRESS = '修改地址为:广东省 深圳市 南山区 科技园路1号 张三 13800000000,kf01,2026-11-22';

describe('human remarks in the memo (rules.md §2)', () => {
  it('sends a malformed standard line back to the agent who wrote it, once per line', () => {
    const out = run('老客户\n顺丰,kf03,2026-11-22\n发票抬头:某某公司,kf01,2026-11-22');
    expect(out).toMatchObject({
      fired: true,
      decisions: [{ type: 'open_task', key: remarkFixKey(9, '顺丰,kf03,2026-11-22'), taskType: 'remark_fix', role: 'in_sale', assignToAgentId: 'kf03' }],
    });
    expect(out.fired && out.decisions).toHaveLength(1);
    expect(out.fired && out.decisions[0].type === 'open_task' && out.decisions[0].reason).toMatch(/标快|特快/);
  });

  it('names no author when the line has none, and never copies an address into the task', () => {
    const out = run('修改地址为:浙江省 杭州市 西湖区 文三路1号 张三 13800000000');
    expect(out.fired).toBe(true);
    const d = out.fired ? out.decisions[0] : undefined;
    expect(d).toMatchObject({ type: 'open_task', role: 'in_sale' });
    expect(d && 'assignToAgentId' in d).toBe(false);
    expect(JSON.stringify(d)).not.toContain('13800000000');
    expect(JSON.stringify(d)).not.toContain('文三路');
  });

  it('skips free text, an empty memo, its own lines and standard lines that ask nothing of the warehouse', () => {
    expect(run('蓝色 XL(SKU-1002),2,kf01,2026-11-22\n客户说周末在家')).toMatchObject({ fired: false });
    expect(run(null)).toMatchObject({ fired: false });
    expect(run('已催件 系统 2026-11-22')).toMatchObject({ fired: false });
    expect(run('顺丰,系统,2026-11-22')).toMatchObject({ fired: false });
    expect(run('顺丰,kf02,2026-11-22')).toMatchObject({ fired: true });
  });

  it('an address change while the order waits to ship: the ERP address from the memo line and a reroute, both keyed by the line', () => {
    const hash = memoLineHash(ADDRESS);
    const out = run(`老客户\n${ADDRESS}`);
    expect(out).toMatchObject({
      fired: true,
      decisions: [
        { type: 'update_erp_address', key: `memo-address:9:${hash}`, memoLineHash: hash },
        { type: 'reroute', key: `reroute:9:${hash}`, kind: 'address', lineHash: hash, requestedBy: 'kf01' },
      ],
    });
    expect(JSON.stringify(out)).not.toContain('13800000000');
    // Handled once: the same line after the reroute was listed asks for nothing, even after shipping.
    expect(run(ADDRESS, { reroutedLines: [hash], status: 'shipped' })).toMatchObject({ fired: false });
  });

  it('a courier request goes into the ERP remark and the reroute list; after shipping it is an address exception for its author', () => {
    const line = '顺丰 特快 寄付,kf05,2026-11-22';
    expect(run(line)).toMatchObject({
      fired: true,
      decisions: [
        { type: 'write_remark', target: 'erp', agentId: 'kf05', fields: { kind: 'courier_request', courier: '顺丰', service: '特快', payment: '寄付' } },
        { type: 'reroute', kind: 'courier', courier: '顺丰 特快 寄付', requestedBy: 'kf05' },
      ],
    });
    expect(run(line, { status: 'shipped' })).toMatchObject({
      fired: true,
      decisions: [{ type: 'open_task', taskType: 'address_exception', role: 'in_sale', assignToAgentId: 'kf05' }],
    });
    expect(run(line, { status: 'unpaid' })).toMatchObject({ fired: false });
  });

  it('a ship date people asked for lists a hold for the warehouse', () => {
    const line = '11月25日发货,kf02,2026-11-22';
    expect(run(line)).toMatchObject({ fired: true, decisions: [{ type: 'reroute', kind: 'ship_date', lineHash: memoLineHash(line), requestedBy: 'kf02' }] });
  });
});
