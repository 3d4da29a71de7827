import type { SandboxContext } from '../../core/contract.js';
import type { SbErpOrder, SbReceiver } from '../../core/types.js';
import { JST_LISTS } from './jushuitan.constants.js';
import { asObject, bizFail, ErpLocator } from './jushuitan-erp.locator.js';
import type { JstApi, JstCall, JstOutcome } from './jushuitan-gateway.handler.js';
import { intOf, strOf } from './jushuitan-http.util.js';
import { idNumber } from './jushuitan-order.mapper.js';

/** 售后类型 accepted by /open/aftersale/upload (docId 41). */
const TYPES = ['普通退货', '其它', '拒收退货', '仅退款', '投诉', '补发', '维修', '换货'];

interface RecordedAftersale {
  asId: string;
  oId: string;
  type: string;
}

function receiverOf(a: Record<string, unknown>): Partial<SbReceiver> | undefined {
  const r: Partial<SbReceiver> = {
    name: strOf(a.receiver_name_en) || undefined,
    mobile: strOf(a.receiver_mobile_en) || undefined,
    province: strOf(a.receiver_state) || undefined,
    city: strOf(a.receiver_city) || undefined,
    district: strOf(a.receiver_district) || undefined,
    address: strOf(a.receiver_address) || undefined,
  };
  const given = Object.entries(r).filter(([, v]) => v !== undefined);
  return given.length ? Object.fromEntries(given) : undefined;
}

/**
 * Aftersale upload. A 补发 files a reship in the world (which ships its replacement after a delay);
 * other types are kept here. Both are idempotent per (shop_id, outer_as_id): a re-upload answers the
 * aftersale first created.
 */
export class JushuitanAftersaleApi {
  private readonly others = new Map<string, RecordedAftersale>();
  private asSeq = 8_000_000;
  private readonly find: ErpLocator;

  constructor(private readonly ctx: SandboxContext) {
    this.find = new ErpLocator(ctx);
  }

  apis(): Record<string, JstApi> {
    return { '/open/aftersale/upload': (c) => this.upload(c) };
  }

  private upload(call: JstCall): JstOutcome {
    const list = Array.isArray(call.biz) ? call.biz : asObject(call.biz) ? [call.biz] : undefined;
    if (!list || list.length === 0) return bizFail('售后单列表不能为空');
    if (list.length > JST_LISTS.maxAftersales) return bizFail('单次最多上传50个售后单');
    return { data: { datas: list.map((a) => this.one(asObject(a) ?? {})) } };
  }

  private one(a: Record<string, unknown>): Record<string, unknown> {
    const shopId = strOf(a.shop_id) ?? '';
    const outerAsId = strOf(a.outer_as_id) ?? '';
    const soId = strOf(a.so_id) ?? '';
    const type = strOf(a.type) ?? '';
    const base = { outer_as_id: outerAsId, so_id: soId, id: 0 };
    if (!shopId || !outerAsId || !soId) return { ...base, issuccess: false, msg: 'shop_id、outer_as_id、so_id不能为空' };
    if (!TYPES.includes(type)) return { ...base, issuccess: false, msg: `不支持的售后类型${type}` };
    const original = this.find.bySoId(soId, shopId);
    if (!original) return { ...base, issuccess: false, msg: '线上单号不存在' };
    const asId = type === '补发' ? this.reship(a, shopId, outerAsId, original) : this.other(shopId, outerAsId, original.oId, type);
    return { ...base, issuccess: true, msg: '', as_id: idNumber(asId), o_id: idNumber(original.oId) };
  }

  /** Without items the whole original order is sent again. */
  private reship(a: Record<string, unknown>, erpShopId: string, outerAsId: string, original: SbErpOrder): string {
    const items = Array.isArray(a.items) ? a.items.map((i) => asObject(i) ?? {}) : [];
    const listed = items
      .map((i) => ({ skuId: strOf(i.sku_id) ?? '', qty: intOf(i.qty) ?? 1 }))
      .filter((l) => l.skuId !== '');
    const lineSkus = listed.length ? listed : original.lines.map((l) => ({ skuId: l.skuId, qty: l.qty }));
    const soId = original.soId;
    const reason = strOf(a.remark) || strOf(a.question_type) || '补发';
    const reship = this.ctx.world.createReship({ erpShopId, outerAsId, soId, reason, lineSkus, receiver: receiverOf(a) });
    return reship.asId;
  }

  private other(shopId: string, outerAsId: string, oId: string, type: string): string {
    const key = `${shopId}|${outerAsId}`;
    const seen = this.others.get(key);
    if (seen) return seen.asId;
    const rec = { asId: String(this.asSeq++), oId, type };
    this.others.set(key, rec);
    return rec.asId;
  }
}
