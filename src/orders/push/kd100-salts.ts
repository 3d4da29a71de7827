import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/config.schema.js';

/**
 * The per-subscription salt Kuaidi100 signs its callbacks with. It is derived from the waybill number
 * with an HMAC under the master key rather than stored: a subscription needs no row of its own, any
 * process can verify any callback, and a forger without the master key cannot compute it. Callbacks
 * for waybills subscribed before a master-key rotation still verify under the previous keys.
 */
@Injectable()
export class Kd100Salts {
  constructor(private readonly config: AppConfig) {}

  /** The salt to subscribe a waybill with. */
  saltFor(trackingNo: string): string {
    return derive(this.config.security.masterKey.key, trackingNo);
  }

  /** Salts a callback for this waybill may be signed with: the active key's first. */
  candidates(trackingNo: string): string[] {
    const keys = [this.config.security.masterKey, ...this.config.security.previousKeys];
    return keys.map((k) => derive(k.key, trackingNo));
  }

  /** Where the tracking service posts callbacks for our subscriptions. */
  callbackUrl(): string {
    return `${this.config.publicUrl.replace(/\/$/, '')}/webhooks/kuaidi100`;
  }
}

function derive(key: Buffer, trackingNo: string): string {
  return createHmac('sha256', key).update(`kd100-salt:${trackingNo.trim()}`).digest('hex').slice(0, 32);
}
