import { describe, expect, it } from '@jest/globals';
import { stringify } from 'lossless-json';
import type { SbOrder, SbShop } from '../../../src/sandbox/core/types.js';
import { maskAddress, maskMobile, maskName } from '../../../src/sandbox/platforms/taobao/taobao-mask.util.js';
import { fullTrade, pickTradeFields, stagesForStatus } from '../../../src/sandbox/platforms/taobao/taobao-trade.mapper.js';

const shop: SbShop = { platform: 'taobao', shopId: '2200000001', name: '测试旗舰店', appKey: 'k', tokens: [], warehouseProvince: '广东省' };

function order(over: Partial<SbOrder> = {}): SbOrder {
  const t = Date.UTC(2024, 4, 1, 2, 0, 0);
  return {
    platform: 'taobao', shopId: shop.shopId, orderId: '3912345678901234567', stage: 'paid', createdAt: t, paidAt: t + 60_000,
    modifiedAt: t + 60_000, buyerNick: 'tb小明', buyerOpenUid: 'AAHk', oaid: 'OAID123',
    receiver: { province: '浙江省', city: '杭州市', district: '西湖区', name: '张三', mobile: '13812340000', address: '文三路100号5幢' },
    lines: [{ lineId: '3912345678901234568', skuId: '5000001', outerSkuId: 'SKU-A', title: '杯子', props: '颜色:红', qty: 2, priceFen: 1230 }],
    totalFen: 2460 + 800, postFeeFen: 800, memo: '', flag: 'none', memoHistory: [], ...over,
  };
}

describe('Taobao trade mapper', () => {
  it('masks receiver data and keeps the region plain', () => {
    const wire = fullTrade(order(), shop);
    expect(wire.receiver_name).toBe('张*');
    expect(wire.receiver_mobile).toBe('138****0000');
    expect(wire.receiver_address).not.toContain('100');
    expect(wire.receiver_state).toBe('浙江省');
    expect(wire.receiver_city).toBe('杭州市');
    expect(wire.post_fee).toBe('8.00');
    expect(wire.payment).toBe('32.60');
    expect(wire.status).toBe('WAIT_SELLER_SEND_GOODS');
  });

  it('writes tid and oid as exact bare numbers', () => {
    const text = stringify(pickTradeFields(fullTrade(order(), shop), order(), new Set(['tid', 'orders']), false)) ?? '';
    expect(text).toContain('"tid":3912345678901234567');
    expect(text).toContain('"oid":3912345678901234568');
  });

  it('returns only requested fields and OAID only with its source fields', () => {
    const o = order();
    const few = pickTradeFields(fullTrade(o, shop), o, new Set(['tid', 'status', 'oaid']), false);
    expect(Object.keys(few).sort()).toEqual(['status', 'tid']);
    const all = new Set(['tid', 'receiver_name', 'receiver_address', 'created', 'receiver_mobile', 'receiver_phone', 'oaid']);
    expect(pickTradeFields(fullTrade(o, shop), o, all, false).oaid).toBe('OAID123');
  });

  it('maps query statuses, including aggregates', () => {
    expect(stagesForStatus('WAIT_BUYER_PAY')).toEqual(['unpaid']);
    expect(stagesForStatus('WAIT_BUYER_CONFIRM_GOODS')).toEqual(['shipped', 'delivered']);
    expect(stagesForStatus('ALL_CLOSED')).toEqual(['closed_unpaid', 'closed_refunded']);
    expect(stagesForStatus('NOPE')).toBeUndefined();
  });

  it('masks helpers', () => {
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskMobile('13900001111')).toBe('139****1111');
    expect(maskAddress('文三路100号5幢')).toMatch(/^文三路\*+$/);
  });
});
