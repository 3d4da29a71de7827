import type { SbOrder } from '../../core/types.js';
import { PddError } from './pdd.error.js';
import { formatPddTime } from './pdd-format.util.js';
import { flagOfTag, pddOrderInfo, pddOrderStatus, pddRefundStatus, pddVisible } from './pdd-order.mapper.js';
import type { PddApi, PddCall } from './pdd-router.js';

function need(call: PddCall, name: string): string {
  const v = call.params[name];
  if (v === undefined || v === '') throw PddError.param(`${name}不能为空`);
  return v;
}

function intOf(call: PddCall, name: string, dflt: number, min: number, max: number): number {
  const raw = call.params[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw PddError.param(`${name}取值范围${min}~${max}`);
  return n;
}

/** The token shop's visible order; other shops' orders and unpaid ones do not exist for the caller. */
function shopOrder(call: PddCall): SbOrder {
  const sn = need(call, 'order_sn');
  const order = call.ctx.world.order('pinduoduo', sn);
  if (!order || order.shopId !== call.shop?.shopId || !pddVisible(order.stage)) throw PddError.param(`订单${sn}不存在`);
  return order;
}

function window(call: PddCall): { from: number; to: number } {
  const from = intOf(call, 'start_updated_at', -1, 0, Number.MAX_SAFE_INTEGER) * 1000;
  const to = intOf(call, 'end_updated_at', -1, 0, Number.MAX_SAFE_INTEGER) * 1000;
  if (from < 0 || to < 0) throw PddError.param('start_updated_at和end_updated_at不能为空');
  if (to < from) throw PddError.param('end_updated_at不能小于start_updated_at');
  if (to - from > call.config.incrementMaxSpanMs) throw PddError.param('查询时间跨度不能超过30分钟');
  return { from, to };
}

/** tag_name is PDD's own field; the world keeps only the colour, so the module keeps the names. */
type TagNames = Map<string, string>;

/** pdd.order.number.list.increment.get: paid orders updated in the window, newest first, shown with a lag. */
const increment = (tagNames: TagNames): PddApi => ({
  key: 'order_sn_increment_get_response',
  token: true,
  run(call) {
    const { from, to } = window(call);
    const orderStatus = intOf(call, 'order_status', -1, 1, 5);
    const refundStatus = intOf(call, 'refund_status', -1, 1, 5);
    if (orderStatus === -1 || orderStatus === 4 || refundStatus === -1) throw PddError.param('order_status/refund_status取值不合法');
    const pageSize = intOf(call, 'page_size', 100, 1, 100);
    const page = intOf(call, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
    // The list only sees an update some minutes after it happened (FAQ: end ≤ PDD time − 3 min).
    const visibleUntil = call.now - call.config.incrementLagMs;
    const all = call.ctx.world
      .orders({ platform: 'pinduoduo', shopId: call.shop?.shopId, modifiedFrom: from, modifiedTo: to })
      .filter((o) => pddVisible(o.stage) && o.modifiedAt <= visibleUntil && (o.paidAt ?? o.createdAt) >= call.now - call.config.historyMs)
      .filter((o) => orderStatus === 5 || pddOrderStatus(o) === orderStatus)
      .filter((o) => refundStatus === 5 || pddRefundStatus(o) === refundStatus);
    const list = all.slice((page - 1) * pageSize, page * pageSize).map((o) => pddOrderInfo(o, tagNames.get(o.orderId), call.config.logisticsIds));
    const out: Record<string, unknown> = { order_sn_list: list, has_next: page * pageSize < all.length };
    if (call.params.use_has_next !== 'true') out.total_count = all.length;
    return out;
  },
});

const information = (tagNames: TagNames): PddApi => ({
  key: 'order_info_get_response',
  token: true,
  run(call) {
    const order = shopOrder(call);
    return { order_info: pddOrderInfo(order, tagNames.get(order.orderId), call.config.logisticsIds) };
  },
});

/** pdd.order.note.update: overwrite the note; tag and tag_name together or not at all. */
const noteUpdate = (tagNames: TagNames): PddApi => ({
  key: 'response',
  token: true,
  run(call) {
    const order = shopOrder(call);
    const note = call.params.note;
    if (note === undefined) throw PddError.param('note不能为空');
    const hasTag = call.params.tag !== undefined && call.params.tag !== '';
    const tagName = call.params.tag_name;
    const hasName = tagName !== undefined && tagName !== '';
    if (hasTag !== hasName) throw PddError.param('tag和tag_name必须同时传入');
    const tag = hasTag ? intOf(call, 'tag', 0, 1, 5) : undefined;
    if (hasName && [...tagName].length > 3) throw PddError.param('tag_name长度不能超过3个字符');
    call.ctx.world.writeMemo('pinduoduo', order.orderId, {
      text: note, flag: tag === undefined ? undefined : flagOfTag(tag), by: `api:${call.app.appKey}`, op: note === '' ? 'reset' : 'update',
    });
    if (hasName) tagNames.set(order.orderId, tagName);
    return { success: true };
  },
});

/** pdd.logistics.ordertrace.get by waybill; the response key keeps PDD's own misspelling. */
const orderTrace: PddApi = {
  key: 'logistics_ordertrace_get_resposne',
  token: true,
  run(call) {
    need(call, 'company_code');
    const mailNo = need(call, 'mail_no');
    const found = call.ctx.world.shipmentByTracking(mailNo);
    if (!found?.order || found.order.platform !== 'pinduoduo' || found.order.shopId !== call.shop?.shopId) {
      throw PddError.param(`运单${mailNo}不存在`);
    }
    const traceList = found.shipment.events.map((e) => ({
      action: e.action, desc: e.context, node_description: e.city ?? '', status_desc: e.context,
      status_time: formatPddTime(e.time), time: formatPddTime(e.time),
    }));
    return { trace_list: traceList };
  },
};

const timeGet: PddApi = {
  key: 'time_get_response',
  token: false,
  run: (call) => ({ time: formatPddTime(call.now) }),
};

export function orderApis(tagNames: TagNames): Record<string, PddApi> {
  return {
    'pdd.order.number.list.increment.get': increment(tagNames),
    'pdd.order.information.get': information(tagNames),
    'pdd.order.note.update': noteUpdate(tagNames),
    'pdd.logistics.ordertrace.get': orderTrace,
    'pdd.time.get': timeGet,
  };
}
