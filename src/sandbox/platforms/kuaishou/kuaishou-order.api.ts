import type { SandboxContext } from '../../core/contract.js';
import type { SbOrder } from '../../core/types.js';
import { KS_ERRORS, KS_LISTS, KS_TIMES } from './kuaishou.constants.js';
import type { KsApi, KsCall, KsFail, KsOutcome } from './kuaishou-gateway.handler.js';
import { idParam, intParam } from './kuaishou-http.util.js';
import { flagFromCode, isKnownViewStatus, kuaishouOrder, matchesViewStatus } from './kuaishou-order.mapper.js';
import { kuaishouCipher } from './kuaishou-privacy.mapper.js';

const NO_MORE = 'nomore';

interface ListQuery {
  view: number;
  pageSize: number;
  ascending: boolean;
  byUpdate: boolean;
  begin: number;
  end: number;
  cursor: string;
}

const bad = (detail: string): KsFail => ({ error: KS_ERRORS.paramInvalid, detail });

/** Numeric-string order ids compare by length first, then text, which is numeric order. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function readListQuery(p: Record<string, unknown>): ListQuery | KsFail {
  const view = intParam(p.orderViewStatus);
  if (view === undefined || !isKnownViewStatus(view)) return bad('orderViewStatus is invalid');
  const pageSize = intParam(p.pageSize);
  if (pageSize === undefined || pageSize < 1 || pageSize > KS_LISTS.maxPageSize) return bad('pageSize must be 1-50');
  const begin = intParam(p.beginTime);
  const end = intParam(p.endTime);
  if (begin === undefined || end === undefined) return bad('beginTime and endTime are required');
  const cursor = typeof p.cursor === 'string' ? p.cursor : '';
  const sort = intParam(p.sort) ?? 1;
  const queryType = intParam(p.queryType) ?? 1;
  return { view, pageSize, ascending: sort === 2, byUpdate: queryType === 2, begin, end, cursor };
}

function checkWindow(q: ListQuery, now: number): KsFail | undefined {
  if (q.end <= q.begin) return { error: KS_ERRORS.endBeforeBegin };
  if (q.end - q.begin > KS_TIMES.listMaxSpanMs) return { error: KS_ERRORS.spanTooWide };
  if (q.begin < now - KS_TIMES.listLookbackMs) return { error: KS_ERRORS.beforeNinetyDays };
  return undefined;
}

/** The cursor is opaque to callers: it carries the sort key and id of the last order served. */
function encodeCursor(key: number, orderId: string): string {
  return Buffer.from(`${key}:${orderId}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { key: number; orderId: string } | undefined {
  const m = /^(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? { key: Number(m[1]), orderId: m[2] } : undefined;
}

/** open.order.cursor.list and friends, reading and writing the world through the context. */
export class KuaishouOrderApi {
  constructor(private readonly ctx: SandboxContext) {}

  apis(): Record<string, KsApi> {
    return {
      'open.order.cursor.list': (c) => this.cursorList(c),
      'open.order.detail': (c) => this.detail(c),
      'open.seller.order.note.add': (c) => this.noteAdd(c),
      'open.sms.send': (c) => this.smsSend(c),
    };
  }

  private cursorList(call: KsCall): KsOutcome {
    const q = readListQuery(call.param);
    if ('error' in q) return q;
    const windowError = checkWindow(q, this.ctx.world.clock.now());
    if (windowError) return windowError;
    if (q.cursor === NO_MORE) return { data: this.page(q, [], NO_MORE, call) };
    const after = q.cursor === '' ? undefined : decodeCursor(q.cursor);
    if (q.cursor !== '' && !after) return bad('cursor is invalid');
    const keyOf = (o: SbOrder): number => (q.byUpdate ? o.modifiedAt : o.createdAt);
    const dir = q.ascending ? 1 : -1;
    const order = (a: SbOrder, b: SbOrder): number => dir * (keyOf(a) - keyOf(b) || compareIds(a.orderId, b.orderId));
    const range = q.byUpdate ? { modifiedFrom: q.begin, modifiedTo: q.end } : { createdFrom: q.begin, createdTo: q.end };
    const rows = this.ctx.world
      .orders({ platform: 'kuaishou', shopId: call.shop.shopId, ...range })
      .filter((o) => matchesViewStatus(q.view, o))
      .sort(order)
      .filter((o) => !after || dir * (keyOf(o) - after.key || compareIds(o.orderId, after.orderId)) > 0);
    const pageRows = rows.slice(0, q.pageSize);
    const last = pageRows[pageRows.length - 1];
    const next = rows.length > q.pageSize && last ? encodeCursor(keyOf(last), last.orderId) : NO_MORE;
    return { data: this.page(q, pageRows, next, call) };
  }

  private page(q: ListQuery, rows: SbOrder[], cursor: string, call: KsCall): Record<string, unknown> {
    return {
      pageSize: q.pageSize,
      beginTime: q.begin,
      endTime: q.end,
      cursor,
      orderList: rows.map((o) => kuaishouOrder(o, call.shop)),
    };
  }

  private ownOrder(call: KsCall, id: unknown): SbOrder | KsFail {
    const orderId = idParam(id);
    if (!orderId) return bad('order id is required');
    const order = this.ctx.world.order('kuaishou', orderId);
    if (!order || order.shopId !== call.shop.shopId) return { error: KS_ERRORS.orderNotFound };
    return order;
  }

  private detail(call: KsCall): KsOutcome {
    const order = this.ownOrder(call, call.param.oid);
    if ('error' in order) return order;
    return { data: kuaishouOrder(order, call.shop) };
  }

  /** Notes are append-only and a flag, once set, can only be changed to another colour, never cleared. */
  private noteAdd(call: KsCall): KsOutcome {
    const order = this.ownOrder(call, call.param.orderId);
    if ('error' in order) return order;
    const note = typeof call.param.note === 'string' ? call.param.note : '';
    if ([...note].length > KS_LISTS.noteMaxChars) return bad('note length must be <= 200');
    const flagCode = call.param.flag === undefined ? 0 : intParam(call.param.flag);
    if (flagCode === undefined || flagCode < 0 || flagCode > 6) return bad('flag must be 0-6');
    const flag = flagFromCode(flagCode) ?? order.flag;
    this.ctx.world.writeMemo('kuaishou', order.orderId, { text: note, flag, by: `api:${call.app.appKey}`, op: 'append' });
    return {};
  }

  /** The mobile may be plain or the platform's own ciphertext; a ciphertext names the order it came from. */
  private smsSend(call: KsCall): KsOutcome {
    const p = call.param;
    const signId = intParam(p.signId);
    const templateId = intParam(p.templateId);
    const mobile = typeof p.mobile === 'string' ? p.mobile : undefined;
    if (signId === undefined || templateId === undefined || !mobile) return bad('signId, templateId and mobile are required');
    const order = this.ctx.world
      .orders({ platform: 'kuaishou', shopId: call.shop.shopId })
      .find((o) => o.receiver.mobile === mobile || kuaishouCipher('mobile', o.receiver.mobile, o) === mobile);
    const params = typeof p.templateParam === 'string' ? p.templateParam : '';
    const msg = this.ctx.world.recordBuyerMessage({
      platform: 'kuaishou',
      shopId: call.shop.shopId,
      orderId: order?.orderId,
      to: mobile,
      channel: 'open.sms.send',
      template: String(templateId),
      content: params ? `template ${templateId} ${params}` : `template ${templateId}`,
      appKey: call.app.appKey,
    });
    return { fields: { messageId: msg.time * 1000 + Math.floor(this.ctx.random() * 1000) } };
  }
}
