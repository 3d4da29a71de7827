/** The standard remark kinds of the shop's playbook (rules.md §2, seed 001). */
export const REMARK_KINDS = [
  'address_change',
  'product_change',
  'courier_request',
  'ship_date',
  'other',
  'chased',
  'reship',
  'refund_reason',
] as const;
export type RemarkKind = (typeof REMARK_KINDS)[number];

/** Couriers people name in remarks; 顺丰 needs a service (标快/特快) and a payment (寄付/到付). */
export const COURIERS = ['顺丰', '中通', '圆通', '申通', '韵达', '极兔', '邮政', 'EMS', '京东', '德邦', '百世', '天天', '丰网'] as const;

export interface AddressFields {
  province: string;
  city: string;
  district: string;
  detail: string;
  name: string;
  phone: string;
}

export type RemarkFields =
  | { kind: 'address_change'; address: AddressFields }
  | { kind: 'product_change'; product: string; sku?: string; quantity: number }
  | { kind: 'courier_request'; courier: string; service?: '标快' | '特快'; payment?: '寄付' | '到付' }
  | { kind: 'ship_date'; month: number; day: number }
  | { kind: 'other'; text: string }
  | { kind: 'chased' }
  | { kind: 'reship'; courier: string; trackingNo: string }
  | { kind: 'refund_reason'; reason: string };
