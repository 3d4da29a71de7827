import type { CarrierCodesConfig } from '../config/config.schema.js';

/** A Kuaidi100-style code already: lower-case letters and digits (zhongtong, ems, jtexpress). */
const SERVICE_CODE = /^[a-z][a-z0-9]*$/;

/**
 * The tracking service's carrier code for what a marketplace says about a parcel's carrier: Kuaishou
 * and Pinduoduo give numeric codes of their own, Taobao's trace gives only the company name.
 * Null when the carrier is unknown, so the parcel cannot be followed there.
 */
export function serviceCarrierCode(
  platform: string,
  carrier: { carrierCode: string | null; carrierName: string | null },
  tables: CarrierCodesConfig,
): string | null {
  const code = carrier.carrierCode?.trim() ?? '';
  const byCode: Record<string, string> = platform === 'kuaishou' ? tables.kuaishou : platform === 'pinduoduo' ? tables.pinduoduo : {};
  if (code && byCode[code]) return byCode[code];
  if (SERVICE_CODE.test(code)) return code;
  const name = carrier.carrierName ?? '';
  // The longest name that matches wins, so 中通快运 can be told from 中通 when both are listed.
  const match = Object.keys(tables.names)
    .filter((n) => name.includes(n))
    .sort((a, b) => b.length - a.length)[0];
  return match ? tables.names[match] : null;
}
