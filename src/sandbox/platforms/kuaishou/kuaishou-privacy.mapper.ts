import { createHash } from 'node:crypto';
import type { SbOrder } from '../../core/types.js';

type Field = 'name' | 'mobile' | 'address';

function digest(...parts: string[]): Buffer {
  return createHash('sha256').update(parts.join('\u0000'), 'utf8').digest();
}

/**
 * Kuaishou returns receiver fields as ciphertext only. The same plaintext encrypts differently per order
 * but keeps the same search index (订单API字段说明), so the index hashes the plaintext alone and the body
 * also hashes the order. The exact ciphertext layout is not published: `#index#body#version#` is the
 * sandbox's own shape [UNVERIFIED]. It is one-way: plaintext never leaves the sandbox.
 */
export function kuaishouCipher(field: Field, plain: string, order: Pick<SbOrder, 'orderId' | 'oaid'>): string {
  const index = digest('ks-index', field, plain).toString('base64url').slice(0, 16);
  const body = digest('ks-body', field, plain, order.orderId, order.oaid).toString('base64');
  return `#${index}#${body}#1#`;
}

export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

export function maskMobile(mobile: string): string {
  if (mobile.length < 7) return '*'.repeat(mobile.length);
  return `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;
}

export function maskAddress(address: string): string {
  const chars = [...address];
  return chars.slice(0, Math.min(2, chars.length)).join('') + '****';
}

/** The orderAddress block as open.order.detail / cursor.list render it. */
export function kuaishouAddress(order: SbOrder): Record<string, unknown> {
  const r = order.receiver;
  return {
    encryptedConsignee: kuaishouCipher('name', r.name, order),
    desensitiseConsignee: maskName(r.name),
    encryptedMobile: kuaishouCipher('mobile', r.mobile, order),
    desensitiseMobile: maskMobile(r.mobile),
    province: r.province,
    city: r.city,
    district: r.district,
    town: '',
    encryptedAddress: kuaishouCipher('address', r.address, order),
    desensitiseAddress: maskAddress(r.address),
  };
}
