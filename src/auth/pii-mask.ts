import type { Role } from './roles.decorator.js';

/** The kinds of buyer data a view may carry. */
export type PiiField = 'name' | 'phone' | 'address';

/**
 * Who needs which buyer data (README, "Buyer data by role"). Agents in and after sale talk to the
 * buyer and change addresses, auditors correct audited ERP orders, warehouse staff reroute parcels
 * (they need where, not how to call), leads handle escalations. Operators and pre-sale agents work
 * without them. Holding any role that sees a field is enough.
 */
export const PII_ACCESS: Record<PiiField, readonly Role[]> = {
  name: ['in_sale', 'after_sale', 'auditor', 'warehouse', 'lead'],
  phone: ['in_sale', 'after_sale', 'auditor', 'lead'],
  address: ['in_sale', 'after_sale', 'auditor', 'warehouse', 'lead'],
};

/** Receiver fields and the kind of data each holds; province, city and district stay (zones and routing need them). */
const RECEIVER_FIELDS: Record<string, PiiField> = { name: 'name', mobile: 'phone', phone: 'phone', town: 'address', address: 'address' };

const HIDDEN = '****';

/**
 * Masks buyer data for the roles that do not need it. Use one per caller:
 * `PiiMask.for(user).receiver(order.receiver)`, `mask.text('address', plainNewAddress)`, or
 * `mask.fields(view, { receiverName: 'name', receiverPhone: 'phone' })`. Values the platform already
 * masked stay masked; ciphertext is never shown to a role that may not see the field.
 */
export class PiiMask {
  private constructor(private readonly visible: ReadonlySet<PiiField>) {}

  static for(who: { roles: readonly Role[] }): PiiMask {
    const fields = (Object.keys(PII_ACCESS) as PiiField[]).filter((f) => PII_ACCESS[f].some((r) => who.roles.includes(r)));
    return new PiiMask(new Set(fields));
  }

  sees(field: PiiField): boolean {
    return this.visible.has(field);
  }

  text(field: PiiField, value: string | null | undefined): string | null {
    if (value === null || value === undefined || value === '') return value ?? null;
    return this.sees(field) ? value : maskValue(field, value);
  }

  /** A copy of `obj` with the listed properties masked. */
  fields<T extends object>(obj: T, which: Partial<Record<keyof T, PiiField>>): T {
    const out = { ...obj } as Record<string, unknown>;
    for (const [key, field] of Object.entries(which) as [string, PiiField][]) {
      const v = out[key];
      if (typeof v === 'string') out[key] = this.text(field, v);
    }
    return out as T;
  }

  /** A copy of an order's receiver (canonical Receiver shape) with what this caller may not see masked. */
  receiver<T extends Record<string, unknown>>(receiver: T | null): T | null {
    if (!receiver) return null;
    const which = Object.fromEntries(Object.keys(receiver).filter((k) => k in RECEIVER_FIELDS).map((k) => [k, RECEIVER_FIELDS[k]]));
    const out = this.fields(receiver, which as Partial<Record<keyof T, PiiField>>) as Record<string, unknown>;
    // The OAID is a decryption handle for the receiver: it goes with the address.
    if (typeof out.oaid === 'string' && !this.sees('address')) out.oaid = HIDDEN;
    return out as T;
  }
}

function maskValue(field: PiiField, value: string): string {
  // Platform ciphertext (PDD/Kuaishou `~…~`, long base64): nothing of it is worth showing.
  if (/^~.*~$/s.test(value) || value.length > 64) return HIDDEN;
  switch (field) {
    case 'name': {
      const chars = [...value];
      return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
    }
    case 'phone':
      return value.length >= 7 ? `${value.slice(0, 3)}****${value.slice(-4)}` : HIDDEN;
    case 'address':
      return HIDDEN;
  }
}
