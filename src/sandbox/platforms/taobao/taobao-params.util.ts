import type { SbOrder } from '../../core/types.js';
import { TopError } from './taobao.error.js';
import type { TopCall } from './taobao-router.js';
import { parseTopTime } from './taobao-time.util.js';

export function required(call: TopCall, name: string): string {
  const v = call.params[name];
  if (v === undefined || v === '') throw TopError.missingArg(name);
  return v;
}

export function intParam(call: TopCall, name: string, dflt: number, min: number, max: number): number {
  const raw = call.params[name];
  if (raw === undefined || raw === '') return dflt;
  if (!/^-?\d+$/.test(raw)) throw TopError.invalidArg(name, '必须是整数');
  const n = Number(raw);
  if (n < min || n > max) throw TopError.invalidArg(name, `取值范围${min}~${max}`);
  return n;
}

export function timeParam(call: TopCall, name: string): number {
  const at = parseTopTime(required(call, name));
  if (at === undefined) throw TopError.invalidArg(name, '时间格式应为yyyy-MM-dd HH:mm:ss');
  return at;
}

export function boolParam(call: TopCall, name: string): boolean {
  return call.params[name] === 'true';
}

export function fieldSet(call: TopCall): Set<string> {
  return new Set(
    required(call, 'fields')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
  );
}

/** The session shop's trade by tid; someone else's trade is as invisible as a missing one. */
export function shopTrade(call: TopCall, name = 'tid'): SbOrder {
  const tid = required(call, name);
  if (!/^\d+$/.test(tid)) throw TopError.invalidArg(name, '必须是数字');
  const order = call.ctx.world.order('taobao', tid);
  if (!order || order.shopId !== call.shop?.shopId) {
    // [UNVERIFIED] sub code for an unknown trade
    throw TopError.business('isv.trade-not-exist', `交易${tid}不存在`);
  }
  return order;
}
