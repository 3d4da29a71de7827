import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../../core/contract.js';
import { KD100, KD100_ERRORS } from './kuaidi100.constants.js';
import { querySign, sameSign } from './kuaidi100-sign.util.js';
import type { Kd100SubscriptionBook } from './kuaidi100-subscription.book.js';
import { renderResult } from './kuaidi100-track.mapper.js';

type ErrorName = keyof typeof KD100_ERRORS;

function reply(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, name: ErrorName): string {
  const [returnCode, message] = KD100_ERRORS[name];
  reply(res, { result: false, returnCode, message });
  return returnCode;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function str(x: unknown): string {
  return typeof x === 'string' ? x : typeof x === 'number' ? String(x) : '';
}

/** Form fields from the body, falling back to the query string (Kuaidi100 accepts both). */
export function formOf(req: IncomingMessage, body: Buffer): URLSearchParams {
  const form = new URLSearchParams(body.toString('utf8'));
  const q = new URL(req.url ?? '/', 'http://x').searchParams;
  for (const [k, v] of q) if (!form.has(k)) form.set(k, v);
  return form;
}

/** Real-time query and subscribe, in Kuaidi100's request and response shapes. */
export class Kd100ApiHandler {
  /** waybill → query times in the last 24 h, and lock expiry */
  private readonly queries = new Map<string, number[]>();
  private readonly locks = new Map<string, number>();

  constructor(
    private readonly ctx: SandboxContext,
    private readonly subs: Kd100SubscriptionBook,
  ) {}

  /** POST /poll/query.do — customer, param {com, num, phone?, resultv2?}, sign. */
  query(res: ServerResponse, form: URLSearchParams): string {
    const customer = form.get('customer') ?? '';
    const param = form.get('param') ?? '';
    const sign = form.get('sign') ?? '';
    if (!customer || !param || !sign) return fail(res, 'incomplete');
    const app = this.ctx.world.app('kuaidi100', customer);
    if (!app) return fail(res, 'keyExpired');
    if (!sameSign(sign, querySign(param, app.appSecret, customer))) return fail(res, 'badSign');
    const p = parseJson(param);
    const com = str(p?.com).toLowerCase();
    const num = str(p?.num);
    if (!com || !num) return fail(res, 'incomplete');
    if (this.ctx.limiter.take(`kuaidi100:${customer}`, KD100.queryRate) > 0) return fail(res, 'busy');
    if (this.overQueried(num)) return fail(res, 'locked');
    const found = this.ctx.world.shipmentByTracking(num);
    if (!found || found.shipment.carrierCode !== com || found.shipment.events.length === 0) return fail(res, 'noResult');
    if (com === 'shunfeng' && !this.phoneMatches(str(p?.phone), found)) return fail(res, 'phone');
    reply(res, renderResult(com, num, found.shipment.events, str(p?.resultv2) !== '' && str(p?.resultv2) !== '0'));
    return 'ok';
  }

  /** POST /poll — schema=json, param {company, number, key, parameters {callbackurl, salt, resultv2, phone}}. */
  subscribe(res: ServerResponse, form: URLSearchParams): string {
    const p = parseJson(form.get('param') ?? '');
    if (!p) return fail(res, 'badSubscription');
    const key = str(p.key);
    if (!key || !this.ctx.world.apps('kuaidi100').some((a) => a.appSecret === key)) return fail(res, 'badSubscriber');
    const params = (p.parameters && typeof p.parameters === 'object' ? p.parameters : {}) as Record<string, unknown>;
    const company = str(p.company).toLowerCase();
    const number = str(p.number);
    const callbackUrl = str(params.callbackurl);
    if (!company || !number || number.length > 32 || !/^https?:\/\//.test(callbackUrl)) return fail(res, 'badSubscription');
    const salt = str(params.salt) || undefined;
    const outcome = this.subs.subscribe({ company, number, key, callbackUrl, salt, resultv2: str(params.resultv2) !== '' && str(params.resultv2) !== '0' });
    if (outcome === 'duplicate') return fail(res, 'duplicate');
    if (outcome === 'cap') return fail(res, 'capReached');
    reply(res, { result: true, returnCode: '200', message: '提交成功' });
    return 'ok';
  }

  /** [3P] more than 48 queries of one waybill in 24 h lock it for the next 24 h. */
  private overQueried(num: string): boolean {
    const now = this.ctx.world.clock.now();
    const lockedUntil = this.locks.get(num);
    if (lockedUntil !== undefined && now < lockedUntil) return true;
    const recent = (this.queries.get(num) ?? []).filter((t) => t > now - 24 * 3600_000);
    recent.push(now);
    this.queries.set(num, recent);
    if (recent.length > KD100.queriesPerWaybillPerDay) {
      this.locks.set(num, now + KD100.lockMs);
      this.queries.delete(num);
      return true;
    }
    return false;
  }

  /** SF hides its scans unless the last four digits of the receiver's (or sender's) phone are given. */
  private phoneMatches(phone: string, found: NonNullable<ReturnType<SandboxContext['world']['shipmentByTracking']>>): boolean {
    const mobile = found.order?.receiver.mobile ?? found.erpOrder?.receiver.mobile ?? '';
    return phone.length >= 4 && mobile.endsWith(phone.slice(-4));
  }
}
