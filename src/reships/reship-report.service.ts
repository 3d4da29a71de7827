import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { parseShanghai, shanghaiDateTime } from '../common/shanghai-time.js';
import { OrderEntity } from '../orders/order.entity.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { ReshipEntity } from './reship.entity.js';
import { reasonLabel, RESPONSIBLE_PARTY_LABELS } from './reship-reasons.js';

export interface ReshipReportRow {
  reshipId: number;
  shop: string;
  platform: string;
  platformOrderId: string;
  reason: string;
  reasonLabel: string;
  responsibleParty: string;
  status: string;
  carrier: string | null;
  trackingNo: string | null;
  requestedBy: string;
  createdAt: string;
}

export interface ReshipReport {
  month: string;
  total: number;
  /** courier / warehouse / merchant / buyer → reships they answer for (追责). */
  byResponsibleParty: Record<string, number>;
  byReason: Record<string, number>;
  rows: ReshipReportRow[];
}

const COLUMNS: (keyof ReshipReportRow)[] = ['reshipId', 'shop', 'platform', 'platformOrderId', 'reason', 'reasonLabel', 'responsibleParty', 'status', 'carrier', 'trackingNo', 'requestedBy', 'createdAt'];

/**
 * The monthly claims (追责) report: every reship created in the month (Shanghai calendar), counted by
 * the party responsible and by reason. Proposals never confirmed and filings the ERP refused are left out.
 */
@Injectable()
export class ReshipReportService {
  constructor(private readonly ds: DataSource) {}

  /** `shops`: only these shops' reships (a shop-scoped caller); every shop when undefined. */
  async month(month: string, shops?: number[]): Promise<ReshipReport> {
    const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
    if (!m) throw new BadRequestException('month must be yyyy-MM, e.g. 2026-11');
    const from = parseShanghai(`${month}-01`);
    const next = Number(m[2]) === 12 ? `${Number(m[1]) + 1}-01-01` : `${m[1]}-${String(Number(m[2]) + 1).padStart(2, '0')}-01`;
    const to = parseShanghai(next);
    const query = this.ds
      .getRepository(ReshipEntity)
      .createQueryBuilder('r')
      .innerJoin(OrderEntity, 'o', 'o.id = r.order_id')
      .innerJoin(ShopEntity, 's', 's.id = r.shop_id')
      .select(['r.id AS id', 's.name AS shop', 'o.platform AS platform', 'o.platform_order_id AS platform_order_id', 'r.reason AS reason', 'r.responsible_party AS party'])
      .addSelect(['r.status AS status', 'r.carrier_name AS carrier', 'r.tracking_no AS tracking_no', 'r.requested_by AS requested_by', 'r.created_at AS created_at'])
      .where('r.created_at >= :from AND r.created_at < :to', { from, to })
      .andWhere("r.status IN ('confirmed', 'filed', 'shipped')")
      .orderBy('r.id', 'ASC');
    if (shops) query.andWhere(shops.length ? 'r.shop_id IN (:...shops)' : '1 = 0', { shops });
    const rows = await query.getRawMany<Record<string, string | number | Date | null>>();
    const report: ReshipReport = { month, total: rows.length, byResponsibleParty: {}, byReason: {}, rows: [] };
    for (const r of rows) {
      const party = String(r.party);
      const reason = String(r.reason);
      report.byResponsibleParty[party] = (report.byResponsibleParty[party] ?? 0) + 1;
      report.byReason[reason] = (report.byReason[reason] ?? 0) + 1;
      report.rows.push({
        reshipId: Number(r.id),
        shop: String(r.shop),
        platform: String(r.platform),
        platformOrderId: String(r.platform_order_id),
        reason,
        reasonLabel: reasonLabel(reason),
        responsibleParty: party,
        status: String(r.status),
        carrier: r.carrier === null ? null : String(r.carrier),
        trackingNo: r.tracking_no === null ? null : String(r.tracking_no),
        requestedBy: String(r.requested_by),
        createdAt: shanghaiDateTime(toDate(r.created_at)),
      });
    }
    return report;
  }

  /** CSV (RFC 4180, UTF-8 with a BOM so spreadsheet programs read the Chinese right), one row per reship. */
  csv(report: ReshipReport): string {
    const lines = [COLUMNS.join(',')];
    for (const row of report.rows) lines.push(COLUMNS.map((c) => cell(row[c])).join(','));
    const parties = Object.entries(report.byResponsibleParty).map(([p, n]) => `${RESPONSIBLE_PARTY_LABELS[p] ?? p}:${n}`);
    lines.push('', cell(`合计 ${report.total}; ${parties.join('; ')}`));
    return '\uFEFF' + lines.join('\r\n') + '\r\n';
  }
}

function cell(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Raw selects give DATETIME as a Date (MySQL) or as stored UTC text (SQLite). */
function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
}
