import type { AxiosInstance } from 'axios';
import type { TrackingResult } from '../ports/canonical.types.js';
import { PlatformError } from '../errors.js';
import type { SubscribeOutcome, TrackingPort, TrackingQuery, TrackingSubscription } from '../ports/tracking.port.js';
import { text } from '../shared/lossless-json.util.js';
import { PlatformHttpClient } from '../shared/platform-http.client.js';
import type { RateGate } from '../shared/rate.gate.js';
import { asRecord } from '../shared/wire-params.util.js';
import { translateKd100Error } from './tracking.errors.js';
import { mapKd100Result } from './tracking.mapper.js';
import { signKd100Query } from './tracking.sign.js';

export interface TrackingClientOptions {
  /** Service host, e.g. https://poll.kuaidi100.com (or the sandbox's /kuaidi100). */
  baseUrl: string;
  customer: string;
  key: string;
  queryPath?: string;
  subscribePath?: string;
  timeoutMs?: number;
  gate?: RateGate;
  axios?: AxiosInstance;
}

/** Kuaidi100-style carrier tracking: real-time query.do and push subscription. */
export class TrackingClient implements TrackingPort {
  private readonly http: PlatformHttpClient;

  constructor(private readonly options: TrackingClientOptions) {
    this.http = new PlatformHttpClient({
      platform: 'tracking',
      timeoutMs: options.timeoutMs,
      axios: options.axios,
      secrets: () => [options.key],
    });
  }

  async query(q: TrackingQuery): Promise<TrackingResult> {
    const path = this.options.queryPath ?? '/poll/query.do';
    await this.options.gate?.pass(path);
    const param = JSON.stringify({ com: q.carrierCode.toLowerCase(), num: q.trackingNo, ...(q.phone ? { phone: q.phone } : {}) });
    const form = { customer: this.options.customer, param, sign: signKd100Query(param, this.options.key, this.options.customer) };
    const body = await this.post(path, form);
    return mapKd100Result(body);
  }

  /** A waybill the service already watches for us answers "重复订阅": that is the subscription we wanted. */
  async subscribe(s: TrackingSubscription): Promise<SubscribeOutcome> {
    const path = this.options.subscribePath ?? '/poll';
    await this.options.gate?.pass(path);
    const param = JSON.stringify({
      company: s.carrierCode.toLowerCase(),
      number: s.trackingNo,
      key: this.options.key,
      parameters: { callbackurl: s.callbackUrl, salt: s.salt, ...(s.phone ? { phone: s.phone } : {}) },
    });
    try {
      await this.post(path, { schema: 'json', param });
      return 'subscribed';
    } catch (err) {
      if (err instanceof PlatformError && /重复订阅/.test(err.rawMessage)) return 'already_subscribed';
      throw err;
    }
  }

  /** Success is `status:"200"` (query) or `result:true` (subscribe); failures carry `returnCode`. */
  private async post(path: string, form: Record<string, string>): Promise<Record<string, unknown>> {
    const url = `${this.options.baseUrl.replace(/\/$/, '')}${path}`;
    const { status, body } = await this.http.send({ method: 'POST', url, api: path, form });
    const b = asRecord(body);
    if (b.result === false || (b.returnCode !== undefined && text(b.returnCode) !== '200')) {
      throw this.http.error({ ...translateKd100Error(text(b.returnCode), text(b.message)), api: path, httpStatus: status });
    }
    return b;
  }
}
