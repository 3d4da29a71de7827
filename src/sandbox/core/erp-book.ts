import type { ErpOrderQuery, WorldEvent } from './contract.js';
import type { SbErpOrder, SbErpStatus, SbOrder, SbReceiver, SbReship, SbShipment } from './types.js';

export interface ErpOptions {
  /** WaitConfirm → WaitFConfirm (客审) this long after the order reaches the ERP. Default 10 min. */
  auditDelayMs: number;
  /** WaitFConfirm → Delivering (财审 done, handed to the warehouse). Default 5 min. */
  fConfirmDelayMs: number;
  /** A reship's replacement order gets its tracking number this long after it is filed. Default 30 min. */
  reshipShipDelayMs: number;
}

export interface ErpHooks {
  schedule(atMs: number, fn: () => void): () => void;
  emit(ev: WorldEvent): void;
  now(): number;
  /** Give a replacement order a parcel (tracking number + planned scans). */
  shipReplacement(erp: SbErpOrder, at: number): SbShipment;
}

type ReshipInput = Parameters<import('./contract.js').SandboxWorld['createReship']>[0];

/** Jushuitan's copy of the shops' orders: mirror on payment, audits on a delay, remarks, reships. */
export class ErpBook {
  private readonly byOId = new Map<string, SbErpOrder>();
  private readonly bySo = new Map<string, SbErpOrder>();
  private readonly reshipsByOuter = new Map<string, SbReship>();
  private oSeq = 30_000_000;
  private asSeq = 5_000_000;
  private ts = 0;

  constructor(
    private readonly hooks: ErpHooks,
    readonly opts: ErpOptions,
  ) {}

  get(oId: string): SbErpOrder | undefined {
    return this.byOId.get(oId);
  }

  bySoId(erpShopId: string, soId: string): SbErpOrder | undefined {
    return this.bySo.get(`${erpShopId}|${soId}`);
  }

  /** Idempotent: a marketplace order reaches the ERP once. */
  mirror(order: SbOrder, erpShopId: string, at: number): SbErpOrder {
    const existing = this.bySoId(erpShopId, order.orderId);
    if (existing) return existing;
    const erp = this.create({ erpShopId, soId: order.orderId, platform: order.platform, receiver: { ...order.receiver }, lines: order.lines.map((l) => ({ ...l })), remark: order.memo, isReship: false }, at);
    this.hooks.schedule(at + this.opts.auditDelayMs, () => this.audit(erp.oId, at + this.opts.auditDelayMs));
    return erp;
  }

  /** 客审; an order already out of stock, sent or cancelled is left alone. */
  audit(oId: string, at = this.hooks.now()): SbErpOrder {
    const erp = this.require(oId);
    if (erp.status !== 'WaitConfirm' || erp.outOfStock) return erp;
    erp.auditedAt = at;
    this.change(erp, at, 'WaitFConfirm');
    const fAt = at + this.opts.fConfirmDelayMs;
    this.hooks.schedule(fAt, () => {
      if (erp.status === 'WaitFConfirm') this.change(erp, fAt, 'Delivering');
    });
    return erp;
  }

  shipped(erp: SbErpOrder, shipment: SbShipment, at: number): void {
    erp.shipment = shipment;
    erp.auditedAt ??= at;
    this.change(erp, at, 'Sent');
  }

  cancelled(erp: SbErpOrder, at: number): void {
    if (erp.status !== 'Sent') this.change(erp, at, 'Cancelled');
  }

  setOutOfStock(oId: string, outOfStock: boolean, at = this.hooks.now()): SbErpOrder {
    const erp = this.require(oId);
    erp.outOfStock = outOfStock;
    if (outOfStock && erp.status !== 'Sent' && erp.status !== 'Cancelled') {
      erp.questionType = '缺货';
      erp.questionDesc = '商品库存不足';
      this.change(erp, at, 'Question');
    } else {
      this.change(erp, at);
    }
    return erp;
  }

  writeRemark(oId: string, text: string, by: string): SbErpOrder {
    const erp = this.require(oId);
    erp.remark = text;
    erp.remarkHistory.push({ time: this.hooks.now(), by, text, flag: 'none', op: 'update' });
    return this.change(erp, this.hooks.now());
  }

  setLabels(oId: string, add: string[], remove: string[]): SbErpOrder {
    const erp = this.require(oId);
    erp.labels = [...new Set([...erp.labels.filter((l) => !remove.includes(l)), ...add])];
    return this.change(erp, this.hooks.now());
  }

  setQuestion(oId: string, questionType: string, desc: string): SbErpOrder {
    const erp = this.require(oId);
    erp.questionType = questionType;
    erp.questionDesc = desc;
    return this.change(erp, this.hooks.now(), 'Question');
  }

  setReceiver(oId: string, receiver: Partial<SbReceiver>, by: string): SbErpOrder {
    const erp = this.require(oId);
    erp.receiver = { ...erp.receiver, ...receiver };
    erp.addressHistory.push({ time: this.hooks.now(), by, receiver: { ...erp.receiver } });
    return this.change(erp, this.hooks.now());
  }

  /** Rowversion order (ts ascending), the order Jushuitan's start_ts paging walks. */
  query(q: ErpOrderQuery): SbErpOrder[] {
    const soIds = q.soIds && new Set(q.soIds);
    const oIds = q.oIds && new Set(q.oIds);
    const out: SbErpOrder[] = [];
    for (const e of this.byOId.values()) {
      if (q.erpShopId !== undefined && e.erpShopId !== q.erpShopId) continue;
      if (soIds && !soIds.has(e.soId)) continue;
      if (oIds && !oIds.has(e.oId)) continue;
      if (q.statuses && !q.statuses.includes(e.status)) continue;
      if (q.modifiedFrom !== undefined && e.modifiedAt < q.modifiedFrom) continue;
      if (q.modifiedTo !== undefined && e.modifiedAt > q.modifiedTo) continue;
      if (q.startTs !== undefined && e.ts < q.startTs) continue;
      out.push(e);
    }
    return out.sort((a, b) => a.ts - b.ts);
  }

  /** Idempotent per (shop, outerAsId): a repeated upload returns the first reship. */
  createReship(input: ReshipInput): SbReship {
    const key = `${input.erpShopId}|${input.outerAsId}`;
    const seen = this.reshipsByOuter.get(key);
    if (seen) return seen;
    const original = this.bySoId(input.erpShopId, input.soId);
    if (!original) throw new Error(`no ERP order with so_id ${input.soId} in shop ${input.erpShopId}`);
    const now = this.hooks.now();
    const lines = input.lineSkus.map((ls, i) => {
      const src = original.lines.find((l) => l.skuId === ls.skuId || l.outerSkuId === ls.skuId);
      return { lineId: `${original.oId}${i + 1}`, skuId: ls.skuId, outerSkuId: src?.outerSkuId ?? ls.skuId, title: src?.title ?? ls.skuId, props: src?.props ?? '', qty: ls.qty, priceFen: 0 };
    });
    const erp = this.create({ erpShopId: input.erpShopId, soId: '', platform: original.platform, receiver: { ...original.receiver, ...(input.receiver ?? {}) }, lines, remark: `补发:${input.reason}`, isReship: true }, now);
    const reship: SbReship = { asId: String(this.asSeq++), outerAsId: input.outerAsId, erpShopId: input.erpShopId, soId: input.soId, createdAt: now, reason: input.reason, replacementOId: erp.oId, shipAt: now + this.opts.reshipShipDelayMs };
    this.reshipsByOuter.set(key, reship);
    this.hooks.schedule(reship.shipAt, () => {
      const shipment = this.hooks.shipReplacement(erp, reship.shipAt);
      this.shipped(erp, shipment, reship.shipAt);
      this.hooks.emit({ kind: 'erp.reship.shipped', reship, erpOrder: erp });
    });
    return reship;
  }

  reships(): SbReship[] {
    return [...this.reshipsByOuter.values()];
  }

  private create(p: Pick<SbErpOrder, 'erpShopId' | 'soId' | 'platform' | 'receiver' | 'lines' | 'remark' | 'isReship'>, at: number): SbErpOrder {
    const erp: SbErpOrder = { ...p, oId: String(this.oSeq++), status: 'WaitConfirm', remarkHistory: [], labels: [], addressHistory: [], modifiedAt: at, ts: ++this.ts, outOfStock: false };
    this.byOId.set(erp.oId, erp);
    if (erp.soId) this.bySo.set(`${erp.erpShopId}|${erp.soId}`, erp);
    this.hooks.emit({ kind: 'erp.changed', erpOrder: erp });
    return erp;
  }

  private change(erp: SbErpOrder, at: number, status?: SbErpStatus): SbErpOrder {
    if (status) erp.status = status;
    erp.modifiedAt = Math.max(erp.modifiedAt, at);
    erp.ts = ++this.ts;
    this.hooks.emit({ kind: 'erp.changed', erpOrder: erp });
    return erp;
  }

  private require(oId: string): SbErpOrder {
    const erp = this.byOId.get(oId);
    if (!erp) throw new Error(`no ERP order ${oId}`);
    return erp;
  }
}
