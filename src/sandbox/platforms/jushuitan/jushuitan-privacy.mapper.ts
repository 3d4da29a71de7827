import { createHash } from 'node:crypto';
import type { SbErpOrder, SbPlatform, SbReceiver } from '../../core/types.js';

function hash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000'), 'utf8').digest('base64');
}

function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

function maskMobile(mobile: string): string {
  return mobile.length < 7 ? '*'.repeat(mobile.length) : `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;
}

function maskAddress(address: string): string {
  return [...address].slice(0, 2).join('') + '****';
}

/** PDD-style ciphertext: `$index$body$version$` for phones, `~index~body~version~` for names and addresses. */
function pddCipher(kind: 'phone' | 'text', plain: string, soId: string): string {
  const index = hash('idx', plain).slice(0, 12);
  const body = hash('body', plain, soId);
  return kind === 'phone' ? `$${index}$${body}$2$$` : `~${index}~${body}~2~~`;
}

function ksCipher(plain: string, soId: string): string {
  return `#${hash('idx', plain).slice(0, 16)}#${hash('body', plain, soId)}#1#`;
}

export interface ErpReceiverView {
  receiver_state: string;
  receiver_city: string;
  receiver_district: string;
  receiver_address: string;
  receiver_name: string;
  receiver_mobile: string;
}

function sensitive(platform: SbPlatform | undefined, r: SbReceiver, soId: string): Pick<ErpReceiverView, 'receiver_name' | 'receiver_mobile' | 'receiver_address'> {
  switch (platform) {
    case 'taobao':
      return { receiver_name: maskName(r.name), receiver_mobile: maskMobile(r.mobile), receiver_address: maskAddress(r.address) };
    case 'pinduoduo':
      return { receiver_name: pddCipher('text', r.name, soId), receiver_mobile: pddCipher('phone', r.mobile, soId), receiver_address: pddCipher('text', r.address, soId) };
    case 'kuaishou':
      return { receiver_name: ksCipher(r.name, soId), receiver_mobile: ksCipher(r.mobile, soId), receiver_address: ksCipher(r.address, soId) };
    case 'jushuitan':
    case undefined:
      return { receiver_name: r.name, receiver_mobile: r.mobile, receiver_address: r.address };
  }
}

/**
 * The receiver as the ERP holds it. Orders synced from a marketplace carry that marketplace's masked or
 * encrypted values (the ERP never gets plaintext from Taobao, PDD or Kuaishou); once an address was
 * written through the API, the ERP holds exactly what was written.
 */
export function erpReceiverView(erp: SbErpOrder, soId: string): ErpReceiverView {
  const r = erp.receiver;
  const written = erp.addressHistory.length > 0;
  const shown = written ? sensitive(undefined, r, soId) : sensitive(erp.platform, r, soId);
  return { receiver_state: r.province, receiver_city: r.city, receiver_district: r.district, ...shown };
}
