import { Injectable } from '@nestjs/common';
import { errorText } from '../common/errors.js';
import { InboundCounters } from '../orders/push/inbound-counters.service.js';
import { InboundEventsService } from '../orders/push/inbound-events.service.js';
import { PushKeys } from '../orders/push/push-keys.js';
import { decodeKsEvent, type KsPush } from '../platforms/kuaishou/kuaishou.push.js';
import { idString } from '../platforms/shared/lossless-json.util.js';

export type KsReceipt =
  | { ok: true; test: boolean; duplicate: boolean }
  | { ok: false; status: 400; reason: string };

/**
 * One Kuaishou push: decrypt with the app's 消息私钥 (the only authenticity check the platform has),
 * store, and let processing happen later. No platform call happens before the answer, which must
 * arrive within 3 s.
 */
@Injectable()
export class KuaishouPushReceiver {
  constructor(
    private readonly inbound: InboundEventsService,
    private readonly counters: InboundCounters,
    private readonly keys: PushKeys,
  ) {}

  async receive(appKey: string, body: string): Promise<KsReceipt> {
    const key = await this.keys.kuaishouPushKey(appKey);
    if (!key) return this.refuse('unknown_app', `unknown Kuaishou app ${appKey}`);
    let push: KsPush;
    try {
      push = decodeKsEvent(body, key);
    } catch (err) {
      // A wrong key or a cut body both end here: CBC padding or the JSON inside does not hold.
      return this.refuse('bad_body', `push body does not decrypt to a message with this app's key: ${errorText(err, 200)}`);
    }
    if (push.test) return { ok: true, test: true, duplicate: false };
    const e = push.event;
    if (!e.eventId || !e.topic) return this.refuse('bad_body', 'push message has no eventId or event');
    const sellerId = idString(e.content.sellerId);
    const shopRefs = [e.shopRef ?? '', sellerId].filter(Boolean);
    const stored = await this.inbound.store('kuaishou', 'ks_push', e.eventId, e.topic, {
      shopRefs,
      orderId: e.orderId,
      changedAt: e.occurredAt?.getTime() ?? null,
      content: e.content,
    });
    return { ok: true, test: false, duplicate: stored.duplicate };
  }

  private async refuse(outcome: 'unknown_app' | 'bad_body', reason: string): Promise<KsReceipt> {
    await this.counters.bump('kuaishou', 'ks_push', outcome);
    return { ok: false, status: 400, reason };
  }
}
