import type { FlagColour } from '../config/config.schema.js';
import type { RemarkFields } from '../remarks/remark-kinds.js';

/**
 * Action types that rules and remark requests stage in the outbox, and the payload each carries
 * (`buyer.message` and `reship.file` are defined with their executors, in messages/ and reships/).
 * Payloads never hold plain-text buyer data: an address change refers to its sealed remark request.
 */
export const ACTION_TYPES = {
  remarkWrite: 'remark.write',
  flagSet: 'flag.set',
  erpAddressUpdate: 'erp.address.update',
} as const;

export interface RemarkWritePayload {
  target: 'marketplace' | 'erp';
  agentId: string;
  /** Shanghai date written in the line, fixed when the remark was decided so a retry writes the same line. */
  date: string;
  flag?: FlagColour;
  /** The remark's fields; absent when `requestId` carries them (an address change, sealed). */
  fields?: RemarkFields;
  requestId?: number;
  rule?: string;
}

export interface FlagSetPayload {
  flag: FlagColour;
  rule?: string;
}

export interface ErpAddressUpdatePayload {
  /** The remark request holding the sealed new address. */
  requestId?: number;
  /** Or the hash of the address-change line people wrote in the order's memo (the address stays there). */
  memoLineHash?: string;
  rule?: string;
}
