import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InboundCounters } from '../orders/push/inbound-counters.service.js';
import { InboundEventsService } from '../orders/push/inbound-events.service.js';
import { Kd100Salts } from '../orders/push/kd100-salts.js';
import { decodeKd100Push, type TrackingPush } from '../platforms/tracking/tracking.push.js';
import { parseLosslessJson, text } from '../platforms/shared/lossless-json.util.js';
import { asRecord } from '../platforms/shared/wire-params.util.js';

export type Kd100Receipt = { ok: true; duplicate: boolean } | { ok: false; reason: string };

/**
 * One Kuaidi100 callback: the signature (MD5 of param + the subscription's salt) is checked against
 * the salt derived for the waybill it names, then the raw param is stored for processing.
 */
@Injectable()
export class Kuaidi100CallbackReceiver {
  constructor(
    private readonly inbound: InboundEventsService,
    private readonly counters: InboundCounters,
    private readonly salts: Kd100Salts,
  ) {}

  async receive(form: { param?: unknown; sign?: unknown }): Promise<Kd100Receipt> {
    const param = typeof form.param === 'string' ? form.param : '';
    const sign = typeof form.sign === 'string' ? form.sign : '';
    let content: Record<string, unknown>;
    try {
      content = asRecord(parseLosslessJson(param));
    } catch {
      return this.refuse('bad_body', 'param is not JSON');
    }
    const trackingNo = text(asRecord(content.lastResult).nu);
    if (!trackingNo) return this.refuse('bad_body', 'param names no waybill (lastResult.nu)');
    const push = this.verify(param, sign, trackingNo);
    if (!push) return this.refuse('bad_signature', `sign does not match waybill ${trackingNo}`);
    // The same param is the same push: a redelivery or a duplicate collapses onto one row.
    const eventId = `${trackingNo}:${createHash('sha256').update(param).digest('hex')}`;
    const stored = await this.inbound.store('kuaidi100', 'kd100', eventId, `kd100_${push.status || 'unknown'}`, {
      shopRefs: [],
      orderId: null,
      content,
    });
    return { ok: true, duplicate: stored.duplicate };
  }

  private verify(param: string, sign: string, trackingNo: string): TrackingPush | null {
    for (const salt of this.salts.candidates(trackingNo)) {
      try {
        return decodeKd100Push({ param, sign }, salt);
      } catch {
        // try the next key's salt
      }
    }
    return null;
  }

  private async refuse(outcome: 'bad_body' | 'bad_signature', reason: string): Promise<Kd100Receipt> {
    await this.counters.bump('kuaidi100', 'kd100', outcome);
    return { ok: false, reason };
  }
}
