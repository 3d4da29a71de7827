import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/config.loader.js';
import { composeMemo, measure, memoHasLine } from '../../src/remarks/remark-composer.js';
import { RemarkFormatter } from '../../src/remarks/remark-formatter.js';
import { parseMemo, parseProductBody, parseRemarkLine } from '../../src/remarks/remark-parser.js';

const templates = loadConfig({ env: { NODE_ENV: 'test', KEFU_MASTER_KEY: Buffer.alloc(32).toString('base64') } }).remarks.templates;
const fmt = new RemarkFormatter(templates);
// 2026-11-21T16:30Z is already the 22nd in Shanghai.
const AT = Date.parse('2026-11-21T16:30:00Z');

describe('standard remark lines (rules.md §2)', () => {
  it.each([
    [{ kind: 'address_change', address: { province: '广东省', city: '深圳市', district: '南山区', detail: '科技园路1号', name: '张三', phone: '13800000000' } }, 'kf01', '修改地址为:广东省 深圳市 南山区 科技园路1号 张三 13800000000,kf01,2026-11-22'],
    [{ kind: 'product_change', product: '蓝色 XL', sku: 'SKU-1002', quantity: 2 }, 'kf01', '蓝色 XL(SKU-1002),2,kf01,2026-11-22'],
    [{ kind: 'product_change', product: '蓝色 XL', quantity: 1 }, 'kf01', '蓝色 XL,1,kf01,2026-11-22'],
    [{ kind: 'courier_request', courier: '顺丰', service: '特快', payment: '寄付' }, 'kf01', '顺丰 特快 寄付,kf01,2026-11-22'],
    [{ kind: 'ship_date', month: 11, day: 25 }, 'kf01', '11月25日发货,kf01,2026-11-22'],
    [{ kind: 'other', text: '发票抬头:某某公司' }, 'kf01', '发票抬头:某某公司,kf01,2026-11-22'],
    [{ kind: 'chased' }, 'kf01', '已催件 kf01 2026-11-22'],
    [{ kind: 'reship', courier: '中通', trackingNo: '78812345678' }, '系统', '补发单号:中通 78812345678,系统,2026-11-22'],
    [{ kind: 'refund_reason', reason: '质量问题退货退款' }, 'kf02', '质量问题退货退款,kf02,2026-11-22'],
  ] as const)('formats %j as the seed writes it', (fields, agent, expected) => {
    expect(fmt.line(fields as never, agent, AT)).toBe(expected);
  });
});

describe('reading remarks people write', () => {
  it('reads every standard line back to its fields', () => {
    const address = parseRemarkLine('修改地址为:广东省 深圳市 南山区 科技园路1号 张三 13800000000,kf01,2026-11-22');
    expect(address).toMatchObject({
      status: 'standard',
      kind: 'address_change',
      agentId: 'kf01',
      date: '2026-11-22',
      fields: { address: { province: '广东省', city: '深圳市', district: '南山区', detail: '科技园路1号', name: '张三', phone: '13800000000' } },
    });
    expect(parseRemarkLine('顺丰 特快 寄付,kf01,2026-11-22')).toMatchObject({ status: 'standard', fields: { courier: '顺丰', service: '特快', payment: '寄付' } });
    expect(parseRemarkLine('11月25日发货 kf03，2026-11-22')).toMatchObject({ status: 'standard', kind: 'ship_date', agentId: 'kf03', fields: { month: 11, day: 25 } });
    expect(parseRemarkLine('已催件 kf01 2026-11-22')).toMatchObject({ status: 'standard', kind: 'chased', agentId: 'kf01' });
    expect(parseRemarkLine('补发单号:中通 78812345678,系统,2026-11-23')).toMatchObject({ status: 'standard', fields: { courier: '中通', trackingNo: '78812345678' }, agentId: '系统' });
    expect(parseRemarkLine('中通,kf05,2026-1-3')).toMatchObject({ status: 'standard', kind: 'courier_request', date: '2026-01-03' });
  });

  it('flags standard-looking lines that miss their agent id, date, or 顺丰 options', () => {
    expect(parseRemarkLine('修改地址为:广东省 深圳市 南山区 科技园路1号 张三 13800000000')).toMatchObject({ status: 'malformed', problems: ['缺少客服ID', '缺少日期'] });
    expect(parseRemarkLine('已催件 2026-11-22')).toMatchObject({ status: 'malformed', problems: ['缺少客服ID'] });
    expect(parseRemarkLine('顺丰 寄付,kf01,2026-11-22')).toMatchObject({ status: 'malformed', agentId: 'kf01', problems: ['顺丰需备注标快/特快'] });
    expect(parseRemarkLine('顺丰,kf01,2026-11-22')).toMatchObject({ status: 'malformed', problems: ['顺丰需备注标快/特快', '顺丰需备注寄付/到付'] });
    expect(parseRemarkLine('修改地址为:深圳 张三,kf01,2026-11-22')).toMatchObject({ status: 'malformed', problems: ['地址需包含省 市 区 详细地址 姓名 电话'] });
  });

  it('leaves free text alone', () => {
    expect(parseRemarkLine('老客户,多送一包纸巾')).toEqual({ status: 'free', line: '老客户,多送一包纸巾' });
    expect(parseMemo('老客户\n\n已催件 kf01 2026-11-22\n').map((p) => p.status)).toEqual(['free', 'standard']);
  });

  it('reads a product-change body', () => {
    expect(parseProductBody('蓝色 XL(SKU-1002),2')).toEqual({ product: '蓝色 XL', sku: 'SKU-1002', quantity: 2 });
    expect(parseProductBody('红色 M,1')).toEqual({ product: '红色 M', sku: undefined, quantity: 1 });
    expect(parseProductBody('随便写写')).toBeNull();
  });
});

describe('merging a line into a memo', () => {
  const taobao = { mode: 'replace' as const, limit: { unit: 'bytes' as const, max: 1000 } };
  const line = '已催件 kf01 2026-11-22';

  it('appends under human text on overwrite platforms, and writing it again changes nothing', () => {
    const first = composeMemo({ ...taobao, current: '老客户,多送一包纸巾', line, ownLines: [] });
    expect(first).toEqual({ outcome: 'write', text: `老客户,多送一包纸巾\n${line}`, dropped: [] });
    const again = composeMemo({ ...taobao, current: first.outcome === 'write' ? first.text : '', line, ownLines: [line] });
    expect(again).toEqual({ outcome: 'unchanged' });
    expect(memoHasLine(`老客户\n${line}`, line)).toBe(true);
  });

  it('sends only the new line on append-only platforms (Kuaishou, ≤ 200 chars)', () => {
    const ks = { mode: 'append' as const, limit: { unit: 'chars' as const, max: 200 } };
    expect(composeMemo({ ...ks, current: '客服A: 改地址', line, ownLines: [] })).toEqual({ outcome: 'write', text: line, dropped: [] });
    expect(composeMemo({ ...ks, current: `客服A: 改地址\n${line}`, line, ownLines: [] })).toEqual({ outcome: 'unchanged' });
    expect(composeMemo({ ...ks, current: null, line: '长'.repeat(201), ownLines: [] }).outcome).toBe('too_long');
  });

  it('at the limit, drops kefu-bridge’s oldest own lines and keeps human text whole', () => {
    const human = '客户要求:'.padEnd(280, '好'); // 280 chars of Chinese ≈ 840 bytes: with every line the memo is over 1000 bytes
    const own1 = '已催件 系统 2026-11-01';
    const own2 = '补发单号:中通 78812345678,系统,2026-11-05';
    const current = [own1, human, own2].join('\n');
    const next = '修改地址为:广东省 深圳市 南山区 科技园路1号 张三 13800000000,kf01,2026-11-22';
    const r = composeMemo({ ...taobao, current, line: next, ownLines: [own1, own2] });
    expect(r.outcome).toBe('write');
    if (r.outcome !== 'write') return;
    expect(r.dropped).toEqual([own1]);
    expect(r.text).toBe([human, own2, next].join('\n'));
    expect(measure(r.text, 'bytes')).toBeLessThanOrEqual(1000);
  });

  it('refuses when even without its own lines the memo would not fit', () => {
    const human = '好'.repeat(330); // 990 bytes
    const r = composeMemo({ ...taobao, current: human, line: '已催件 kf01 2026-11-22', ownLines: [] });
    expect(r).toMatchObject({ outcome: 'too_long', limit: { unit: 'bytes', max: 1000 } });
  });
});
