import { shanghaiDate } from '../common/shanghai-time.js';
import type { RemarkFields } from './remark-kinds.js';

/**
 * Writes a standard remark line as the shop writes it: `<body>,<agent>,<yyyy-MM-dd>`, except
 * 已催件 which uses spaces (`已催件 kf01 2026-11-22`). Dates are Shanghai dates.
 */
export class RemarkFormatter {
  constructor(
    private readonly templates: Record<string, string>,
    private readonly separator = ',',
  ) {}

  line(fields: RemarkFields, agentId: string, at: Date | number): string {
    return this.lineOn(fields, agentId, shanghaiDate(at));
  }

  /** The line for a Shanghai date already fixed (`yyyy-MM-dd`), so a retry writes the same line. */
  lineOn(fields: RemarkFields, agentId: string, date: string): string {
    if (fields.kind === 'chased') return `${this.body(fields)} ${agentId} ${date}`;
    return [this.body(fields), agentId, date].join(this.separator);
  }

  body(fields: RemarkFields): string {
    const template = this.templates[fields.kind];
    if (!template) throw new Error(`no remark template for "${fields.kind}"`);
    return fill(template, values(fields)).trim();
  }
}

function values(f: RemarkFields): Record<string, string> {
  switch (f.kind) {
    case 'address_change': {
      const a = f.address;
      return { address: [a.province, a.city, a.district, a.detail, a.name, a.phone].map((s) => s.trim()).join(' ') };
    }
    case 'product_change':
      return { product: f.product, sku: f.sku ?? '', quantity: String(f.quantity) };
    case 'courier_request':
      return { courier: [f.courier, f.service, f.payment].filter(Boolean).join(' ') };
    case 'ship_date':
      return { month: String(f.month), day: String(f.day) };
    case 'other':
      return { text: f.text };
    case 'chased':
      return {};
    case 'reship':
      return { courier: f.courier, trackingNo: f.trackingNo };
    case 'refund_reason':
      return { reason: f.reason };
  }
}

function fill(template: string, v: Record<string, string>): string {
  // An empty optional part drops its brackets too: "{product}({sku})" with no sku → "{product}".
  return template.replace(/\(\{(\w+)\}\)/g, (_m, k: string) => (v[k] ? `(${v[k]})` : '')).replace(/\{(\w+)\}/g, (_m, k: string) => v[k] ?? '');
}
