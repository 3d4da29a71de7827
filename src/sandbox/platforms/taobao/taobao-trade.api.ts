import type { TopApi, TopCall } from './taobao-router.js';
import { TopError } from './taobao.error.js';
import { boolParam, fieldSet, intParam, required, shopTrade, timeParam } from './taobao-params.util.js';
import { flagFromTop, fullTrade, idNumber, OAID_SOURCE_FIELDS, pickTradeFields, stagesForStatus } from './taobao-trade.mapper.js';
import { formatTopTime } from './taobao-time.util.js';

const MEMO_MAX_BYTES = 1000;

function incrementWindow(call: TopCall): { from: number; to: number } {
  const from = timeParam(call, 'start_modified');
  const to = timeParam(call, 'end_modified');
  if (to < from) throw TopError.business('isv.invalid-parameter', '结束时间不能早于开始时间');
  if (to - from > call.config.incrementMaxSpanMs) {
    // [UNVERIFIED] exact sub_code/sub_msg; the rule (span ≤ 1 day) is documented
    throw TopError.business('isv.invalid-parameter', '修改时间跨度不能大于一天');
  }
  if (from < call.now - call.config.historyMs) throw TopError.business('isv.invalid-parameter', '只能查询三个月内的交易');
  return { from, to };
}

/** taobao.trades.sold.increment.get: the session shop's trades modified in the window, newest first. */
const soldIncrement: TopApi = {
  session: true,
  run(call) {
    const fields = fieldSet(call);
    const { from, to } = incrementWindow(call);
    const pageSize = intParam(call, 'page_size', 40, 1, 100);
    const pageNo = intParam(call, 'page_no', 1, 1, Number.MAX_SAFE_INTEGER);
    const status = call.params.status;
    const stages = status ? stagesForStatus(status) : undefined;
    if (status && !stages) throw TopError.invalidArg('status', `未知状态${status}`);
    const all = call.ctx.world
      .orders({ platform: 'taobao', shopId: call.shop?.shopId, modifiedFrom: from, modifiedTo: to, stages })
      .filter((o) => o.createdAt >= call.now - call.config.historyMs);
    const page = all.slice((pageNo - 1) * pageSize, pageNo * pageSize);
    const trades = page.map((o) => pickTradeFields(fullTrade(o, call.shop), o, fields, false));
    // TOP leaves the list out entirely when it is empty.
    const out: Record<string, unknown> = trades.length > 0 ? { trades: { trade: trades } } : {};
    if (boolParam(call, 'use_has_next')) out.has_next = pageNo * pageSize < all.length;
    else out.total_results = all.length;
    return out;
  },
};

/** taobao.trade.fullinfo.get: one trade with masked receiver data and OAID. */
const fullInfo: TopApi = {
  session: true,
  run(call) {
    const fields = fieldSet(call);
    const order = shopTrade(call);
    const includeOaid = boolParam(call, 'include_oaid');
    if (includeOaid && !OAID_SOURCE_FIELDS.every((f) => fields.has(f))) {
      throw TopError.business('isv.oaid-field-miss', `获取oaid需要查询字段:${OAID_SOURCE_FIELDS.join(',')}`);
    }
    return { trade: pickTradeFields(fullTrade(order, call.shop), order, fields, includeOaid) };
  },
};

function memoText(call: TopCall, name: string, isRequired: boolean): string {
  const memo = isRequired ? required(call, name) : (call.params[name] ?? '');
  if (Buffer.byteLength(memo, 'utf8') > MEMO_MAX_BYTES) throw TopError.invalidArg(name, `备注不能超过${MEMO_MAX_BYTES}字节`);
  return memo;
}

/** taobao.trade.memo.update: overwrite (or reset) the memo; the flag defaults to 0 when not sent. */
const memoUpdate: TopApi = {
  session: true,
  run(call) {
    const order = shopTrade(call);
    const memo = memoText(call, 'memo', false);
    const flag = flagFromTop(intParam(call, 'flag', 0, 0, 5));
    const reset = boolParam(call, 'reset');
    const by = `api:${call.app.appKey}`;
    const text = reset ? '' : memo === '' ? order.memo : memo;
    const updated = call.ctx.world.writeMemo('taobao', order.orderId, { text, flag, by, op: reset ? 'reset' : 'update' });
    return { trade: { tid: idNumber(updated.orderId), modified: formatTopTime(updated.modifiedAt) } };
  },
};

/** taobao.trade.memo.add: only when there is no memo yet. */
const memoAdd: TopApi = {
  session: true,
  run(call) {
    const order = shopTrade(call);
    const memo = memoText(call, 'memo', true);
    const flag = flagFromTop(intParam(call, 'flag', 0, 0, 5));
    if (order.memo !== '') {
      // [UNVERIFIED] sub code; the rule (add cannot be repeated, use update) is documented
      throw TopError.business('isv.trade-memo-exist', '交易备注已存在，请使用taobao.trade.memo.update修改');
    }
    const updated = call.ctx.world.writeMemo('taobao', order.orderId, { text: memo, flag, by: `api:${call.app.appKey}`, op: 'add' });
    return { trade: { tid: idNumber(updated.orderId), created: formatTopTime(call.now) } };
  },
};

/** taobao.logistics.trace.search: only online-send waybills are traced (§1.4 caveat). */
const traceSearch: TopApi = {
  session: true,
  run(call) {
    const order = shopTrade(call);
    const s = order.shipment;
    // [UNVERIFIED] sub code when the trade has no waybill yet
    if (!s) throw TopError.business('isv.logistics-trace-not-exist', '该交易没有物流信息');
    const base = { tid: idNumber(order.orderId), out_sid: s.trackingNo, company_name: s.carrierName };
    if (s.sendType === 'offline') return { ...base, status: '对方已签收', trace_list: { transit_step_info: [] } };
    const steps = s.events.map((e) => ({ status_time: formatTopTime(e.time), status_desc: e.context, action: e.action }));
    const last = s.events[s.events.length - 1];
    // [UNVERIFIED] wording of the summary status for online waybills
    const status = last?.action === 'SIGNED' ? '对方已签收' : s.events.length > 0 ? '运输中' : '已发货';
    return { ...base, status, trace_list: { transit_step_info: steps } };
  },
};

export const TRADE_APIS: Record<string, TopApi> = {
  'taobao.trades.sold.increment.get': soldIncrement,
  'taobao.trade.fullinfo.get': fullInfo,
  'taobao.trade.memo.update': memoUpdate,
  'taobao.trade.memo.add': memoAdd,
  'taobao.logistics.trace.search': traceSearch,
};
