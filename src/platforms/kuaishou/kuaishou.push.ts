import { createDecipheriv } from 'node:crypto';
import type { PlatformEvent, PlatformEventKind } from '../ports/canonical.types.js';
import { parsePlatformTime } from '../shared/beijing-time.util.js';
import { idString, optionalString, parseLosslessJson } from '../shared/lossless-json.util.js';
import { asRecord } from '../shared/wire-params.util.js';

/** Body the push endpoint must answer with (HTTP 200, within 3 s) or the platform retries. */
export const KS_PUSH_ACK = '{"result":1}';

const EVENT_KIND: Readonly<Record<string, PlatformEventKind>> = {
  kwaishop_order_addOrder: 'order.created',
  kwaishop_order_paySuccess: 'order.paid',
  kwaishop_order_delivering: 'order.shipped',
  kwaishop_order_deliverySuccess: 'order.changed',
  kwaishop_order_orderSuccess: 'order.completed',
  kwaishop_order_orderFail: 'order.closed',
  kwaishop_order_totalFeeChange: 'order.changed',
};

export type KsPush = { test: true } | { test: false; event: PlatformEvent };

/**
 * Decrypts a push body: Base64 ciphertext, AES-CBC with a 16-zero-byte IV and PKCS5 padding, key =
 * Base64-decoded 消息私钥 (its length picks AES-128/192/256). Decryption is the only authenticity
 * check the platform documents, so a body that fails to decrypt is rejected.
 */
export function decryptKsPush(body: string, base64Key: string): string {
  const key = Buffer.from(base64Key, 'base64');
  if (![16, 24, 32].includes(key.length)) throw new Error('Kuaishou message key must be 16, 24 or 32 bytes');
  const decipher = createDecipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(16, 0));
  return Buffer.concat([decipher.update(Buffer.from(body.trim(), 'base64')), decipher.final()]).toString('utf8');
}

/** Decrypts and decodes one push; `{"test":true}` is the console check / heartbeat. */
export function decodeKsEvent(body: string, base64Key: string): KsPush {
  const m = asRecord(parseLosslessJson(decryptKsPush(body, base64Key)));
  if (m.test === true && !m.event) return { test: true };
  // The event name is text (kwaishop_…); anything else is no event at all, and the receiver refuses it.
  const topic = typeof m.event === 'string' ? m.event : '';
  const info = typeof m.info === 'string' && m.info ? asRecord(parseLosslessJson(m.info)) : asRecord(m.info);
  return {
    test: false,
    event: {
      platform: 'kuaishou',
      eventId: idString(m.eventId) || idString(m.msgId),
      kind: EVENT_KIND[topic] ?? (topic.startsWith('kwaishop_aftersales_') ? 'refund' : 'other'),
      topic,
      orderId: optionalString(idString(info.oid)) ?? optionalString(idString(m.bizId)),
      shopRef: optionalString(m.openId) ?? optionalString(idString(m.userId)),
      occurredAt: parsePlatformTime(m.createTime),
      content: info,
    },
  };
}
