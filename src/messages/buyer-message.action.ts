import type { MessagePurpose } from '../config/config.schema.js';

/** The outbox action that messages a buyer through the platform's SMS product, or an agent task. */
export const BUYER_MESSAGE_ACTION = 'buyer.message';

export interface BuyerMessagePayload {
  /** Our order id. */
  orderId: number;
  purpose: MessagePurpose;
  /** The wording, with {placeholders} filled from params; it is what an agent sends where there is no SMS. */
  template: string;
  params: Record<string, string>;
}

/** `{name}` placeholders filled from params; unknown ones are left as they are. */
export function renderMessage(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => params[k] ?? m);
}
