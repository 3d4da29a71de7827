import type { SandboxContext } from '../../core/contract.js';
import type { SbErpOrder, SbReceiver } from '../../core/types.js';
import { JST_ERRORS, JST_LISTS } from './jushuitan.constants.js';
import { asObject, bizFail, ErpLocator } from './jushuitan-erp.locator.js';
import type { JstApi, JstCall, JstFail, JstOutcome } from './jushuitan-gateway.handler.js';
import { idList, strOf } from './jushuitan-http.util.js';
import { idNumber } from './jushuitan-order.mapper.js';
import { JushuitanQuery } from './jushuitan-query.api.js';

/** An order that left the warehouse or was cancelled can no longer be edited or turned into 异常. */
const CLOSED: SbErpOrder['status'][] = ['Sent', 'Cancelled', 'Merged', 'Split'];

// [UNVERIFIED] how an appended remark is joined to the old one.
const APPEND_SEPARATOR = '\n';

const RECEIVER_FIELDS: [string, keyof SbReceiver][] = [
  ['receiver_state', 'province'],
  ['receiver_city', 'city'],
  ['receiver_district', 'district'],
  ['receiver_address', 'address'],
  ['receiver_name', 'name'],
  ['receiver_mobile', 'mobile'],
];

/** Order reads and edits: query, remarks (by o_id and by so_id), labels, 异常, address. */
export class JushuitanOrderApi {
  private readonly find: ErpLocator;

  constructor(private readonly ctx: SandboxContext) {
    this.find = new ErpLocator(ctx);
  }

  apis(): Record<string, JstApi> {
    const query = new JushuitanQuery(this.ctx, this.find);
    return {
      '/open/orders/single/query': (c) => query.orders(c),
      '/open/logistic/query': (c) => query.logistics(c),
      '/open/jushuitan/order/remark/upload': (c) => this.remark(c, 'o_id'),
      '/open/webapi/orderapi/modifyorder/saveremark': (c) => this.remark(c, 'so_id'),
      '/open/jushuitan/order/label/upload': (c) => this.labels(c),
      '/open/webapi/orderapi/questionorder/questions': (c) => this.questions(c),
      // [UNVERIFIED] path: the published docs list no address-update API for ERP orders.
      '/open/webapi/orderapi/modifyorder/modifyaddress': (c) => this.address(c),
    };
  }

  /** The seller remark is overwritten unless is_append is true (docId 196 / 944). */
  private remark(call: JstCall, by: 'o_id' | 'so_id'): JstOutcome {
    const b = asObject(call.biz);
    if (!b) return bizFail('biz必须是对象');
    const erp = by === 'o_id' ? (strOf(b.o_id) ? this.find.target({ o_id: b.o_id }) : bizFail('o_id不能为空')) : this.bySo(b);
    if ('error' in erp) return erp;
    const remark = strOf(b.remark) ?? '';
    if ([...remark].length > JST_LISTS.remarkMaxChars) return bizFail('备注长度不能超过500');
    const append = b.is_append === true || b.is_append === 'true';
    const text = append && erp.remark ? `${erp.remark}${APPEND_SEPARATOR}${remark}` : remark;
    this.ctx.world.writeErpRemark(erp.oId, text, `api:${call.app.appKey}`);
    return { data: null };
  }

  private bySo(b: Record<string, unknown>): SbErpOrder | JstFail {
    const soId = strOf(b.so_id);
    if (!soId) return bizFail('so_id不能为空');
    return this.find.bySoId(soId, strOf(b.shop_id)) ?? { error: JST_ERRORS.notFound };
  }

  /** action_type 1 adds, 2 removes; 1–19 distinct labels of at most 10 characters (docId 72). */
  private labels(call: JstCall): JstOutcome {
    const b = asObject(call.biz);
    if (!b) return bizFail('biz必须是对象');
    const erp = this.find.target(b);
    if ('error' in erp) return erp;
    const labels = Array.isArray(b.labels) ? b.labels.map((l) => strOf(l) ?? '') : [];
    if (labels.length < 1 || labels.length > JST_LISTS.maxLabels) return bizFail('标签数量需大于0且小于20');
    if (new Set(labels).size !== labels.length) return bizFail('标签不可重复');
    if (labels.some((l) => l === '' || [...l].length > JST_LISTS.labelMaxChars)) return bizFail('单个标签长度不能超过10');
    const action = strOf(b.action_type) ?? '1';
    if (action !== '1' && action !== '2') return bizFail('action_type只能为1或2');
    this.ctx.world.setErpLabels(erp.oId, action === '1' ? labels : [], action === '2' ? labels : []);
    return { data: null };
  }

  /** Turns orders into 异常 (Question); each order answers for itself. */
  private questions(call: JstCall): JstOutcome {
    const b = asObject(call.biz);
    if (!b) return bizFail('biz必须是对象');
    const oIds = idList(b.o_ids) ?? [];
    const soIds = idList(b.so_ids) ?? [];
    if (oIds.length + soIds.length === 0) return bizFail('o_ids和so_ids不能同时为空');
    if (oIds.length > JST_LISTS.maxQuestionIds || soIds.length > JST_LISTS.maxQuestionIds) return bizFail('单号最多50个');
    const questionType = strOf(b.question_type);
    if (!questionType) return bizFail('question_type不能为空');
    const desc = strOf(b.question_desc) ?? '';
    const targets = [...oIds.map((o) => ({ o, erp: this.ctx.world.erpOrder(o) })), ...soIds.map((s) => ({ s, erp: this.find.bySoId(s) }))];
    const datas = targets.map(({ erp, ...asked }) => {
      const base = { o_id: idNumber(erp?.oId ?? ('o' in asked ? asked.o : '')), so_id: erp?.soId ?? ('s' in asked ? asked.s : '') };
      if (!erp) return { ...base, issuccess: false, msg: '订单不存在' };
      if (CLOSED.includes(erp.status)) return { ...base, issuccess: false, msg: `订单状态${erp.status}不允许转异常` };
      this.ctx.world.setErpQuestion(erp.oId, questionType, desc);
      return { ...base, issuccess: true, msg: '' };
    });
    return { data: { datas } };
  }

  /** Refused once the parcel left: the warehouse already printed the old address. */
  private address(call: JstCall): JstOutcome {
    const b = asObject(call.biz);
    if (!b) return bizFail('biz必须是对象');
    const erp = this.find.target(b);
    if ('error' in erp) return erp;
    if (CLOSED.includes(erp.status)) return { error: JST_ERRORS.refused, detail: `订单状态${erp.status}不允许修改收货地址` };
    const change: Partial<SbReceiver> = {};
    for (const [wire, field] of RECEIVER_FIELDS) {
      const v = strOf(b[wire]);
      if (v !== undefined && v !== '') change[field] = v;
    }
    if (Object.keys(change).length === 0) return bizFail('收货信息不能为空');
    this.ctx.world.setErpReceiver(erp.oId, change, `api:${call.app.appKey}`);
    return { data: { o_id: idNumber(erp.oId) } };
  }
}
