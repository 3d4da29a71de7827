import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, In, type EntityManager, type EntitySubscriberInterface, type QueryDeepPartialEntity, type QueryRunner } from 'typeorm';
import { Clock } from '../common/clock.js';
import type { CanonicalOrder } from '../platforms/ports/canonical.types.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { OrderEvents } from './order-events.js';
import { OrderIngest, type IngestResult, type IngestSource, type OrderChanged } from './order-ingest.js';
import { orderChanges, orderFields, type OrderFields } from './order-row.mapper.js';
import { OrderEntity } from './order.entity.js';
import { ShipmentWriter } from './shipment-writer.js';

const CHUNK = 500;
const INSERT_CHUNK = 200;

interface Pending {
  order: CanonicalOrder;
  fields: OrderFields;
  row?: OrderEntity;
  changes: string[];
}

/**
 * Batched, monotonic upserts of canonical orders: one IN query finds the stored rows, new rows go in
 * bulk, changed rows are updated with a version bump, and an order older than the stored one never
 * overwrites it. Change events go out after the transaction commits.
 */
@Injectable()
export class OrdersService extends OrderIngest implements OnModuleInit {
  private readonly pending = new WeakMap<QueryRunner, OrderChanged[]>();

  constructor(
    private readonly ds: DataSource,
    private readonly events: OrderEvents,
    private readonly shipments: ShipmentWriter,
    private readonly clock: Clock,
  ) {
    super();
  }

  onModuleInit(): void {
    // Events staged inside a caller's transaction wait for its outermost commit, and die with a rollback.
    const hook: EntitySubscriberInterface = {
      afterTransactionCommit: (e) => this.flush(e.queryRunner, true),
      afterTransactionRollback: (e) => this.flush(e.queryRunner, false),
    };
    this.ds.subscribers.push(hook);
  }

  async ingest(shopId: number, orders: CanonicalOrder[], source: IngestSource, manager?: EntityManager): Promise<IngestResult> {
    if (manager) {
      const { result, events } = await this.write(manager, shopId, orders, source);
      const qr = manager.queryRunner;
      if (qr?.isTransactionActive) {
        const held = this.pending.get(qr);
        if (held) held.push(...events);
        else this.pending.set(qr, [...events]);
      } else await this.events.emit(events);
      return result;
    }
    const out = await this.ds.transaction((m) => this.write(m, shopId, orders, source));
    await this.events.emit(out.events);
    return out.result;
  }

  private flush(qr: QueryRunner, committed: boolean): void {
    if (qr.isTransactionActive) return;
    const events = this.pending.get(qr);
    this.pending.delete(qr);
    if (!committed || !events?.length) return;
    // TypeORM calls this hook before it gives the connection back. Handlers read and write the
    // database, so they run once the connection is released: run here, each committing flow would
    // wait on the pool while holding a connection, and a full pool of them waits forever.
    const release = qr.release.bind(qr);
    qr.release = async () => {
      qr.release = release;
      await release();
      await this.events.emit(events);
    };
  }

  private async write(m: EntityManager, shopId: number, input: CanonicalOrder[], source: IngestSource) {
    const result: IngestResult = { inserted: 0, updated: 0, unchanged: 0, stale: 0, changed: [] };
    const orders = newestPerOrder(input);
    if (orders.length === 0) return { result, events: [] as OrderChanged[] };
    const platform = orders[0].platform;
    const existing = await this.existing(m, shopId, platform, orders.map((o) => o.orderId));
    const fresh: Pending[] = [];
    const known: Pending[] = [];
    for (const order of orders) {
      const fields = orderFields(order);
      const row = existing.get(order.orderId);
      if (!row) fresh.push({ order, fields, changes: ['created'] });
      else if (row.platformModifiedAt && new Date(row.platformModifiedAt).getTime() > order.modifiedAt.getTime()) result.stale++;
      else known.push({ order, fields, row, changes: orderChanges(row, fields) });
    }
    const inserted = await this.insert(m, shopId, platform, fresh);
    const gained = await this.syncShipments(m, shopId, [...inserted, ...known]);
    // A new order that arrives with its waybill says so too: parcel watchers look for 'shipment'.
    for (const p of [...inserted, ...known]) if (gained.has(p.row!.id)) p.changes.push('shipment');
    const changed = known.filter((p) => p.changes.length > 0);
    result.unchanged = known.length - changed.length;
    await this.update(m, changed);
    result.inserted = inserted.length;
    result.updated = changed.length;
    const events = [...inserted, ...changed].map((p) => this.event(p, shopId, source));
    result.changed = events.map((e) => e.orderId);
    return { result, events };
  }

  private async existing(m: EntityManager, shopId: number, platform: string, ids: string[]): Promise<Map<string, OrderEntity>> {
    const byId = new Map<string, OrderEntity>();
    // MySQL: lock the rows so a push and a poll of the same order serialise; SQLite has one writer anyway.
    const lock = m.connection.options.type === 'mysql' ? ({ mode: 'pessimistic_write' } as const) : undefined;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await m.find(OrderEntity, {
        where: { shopId, platform: platform as OrderEntity['platform'], platformOrderId: In(ids.slice(i, i + CHUNK)) },
        lock,
      });
      for (const r of rows) byId.set(r.platformOrderId, r);
    }
    return byId;
  }

  private async insert(m: EntityManager, shopId: number, platform: string, fresh: Pending[]): Promise<Pending[]> {
    if (fresh.length === 0) return [];
    const now = this.clock.now();
    const values = fresh.map((p) => ({
      ...p.fields,
      shopId,
      platform: platform as OrderEntity['platform'],
      platformOrderId: p.order.orderId,
      erpOrderId: null,
      erpStatus: null,
      erpStage: null,
      erpModifiedAt: null,
      version: 1,
      // Due for the rules in the same write as the change, so no crash in between can lose the evaluation.
      rulesDueAt: now,
      createdAt: now,
      updatedAt: now,
    }));
    for (let i = 0; i < values.length; i += INSERT_CHUNK) {
      await m.createQueryBuilder().insert().into(OrderEntity).values(values.slice(i, i + INSERT_CHUNK) as QueryDeepPartialEntity<OrderEntity>[]).orIgnore().execute();
    }
    const rows = await this.existing(m, shopId, platform, fresh.map((p) => p.order.orderId));
    return fresh.flatMap((p) => {
      const row = rows.get(p.order.orderId);
      return row ? [{ ...p, row }] : [];
    });
  }

  private async syncShipments(m: EntityManager, shopId: number, items: Pending[]): Promise<Set<number>> {
    const withShipments = items.filter((p) => p.order.shipments.length > 0);
    if (withShipments.length === 0) return new Set();
    const shop = await m.findOne(ShopEntity, { where: { id: shopId }, select: { id: true, warehouse: true } });
    const list = withShipments.map((p) => ({ orderId: p.row!.id, province: p.fields.province, shipments: p.order.shipments }));
    return this.shipments.sync(m, shopId, shop?.warehouse ?? 'default', list);
  }

  /**
   * The changed rows, written back whole by id in one statement per chunk (an insert that meets its own
   * primary key and updates it): the rows are locked since they were read (MySQL; SQLite has one writer),
   * so the columns not overwritten here are the stored ones anyway.
   */
  private async update(m: EntityManager, changed: Pending[]): Promise<void> {
    if (changed.length === 0) return;
    const now = this.clock.now();
    const rows = changed.map((p) => {
      const version = p.row!.version + 1;
      const due = p.row!.rulesDueAt;
      const rulesDueAt = due && due.getTime() <= now.getTime() ? due : now;
      p.row = { ...p.row!, version, rulesDueAt };
      return { ...p.row, ...p.fields, updatedAt: now };
    });
    const meta = m.connection.getMetadata(OrderEntity);
    const written = new Set(['version', 'rulesDueAt', 'updatedAt', ...changed.flatMap((p) => Object.keys(p.fields))]);
    const columns = [...written].map((prop) => meta.findColumnWithPropertyName(prop)!.databaseName);
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await m
        .createQueryBuilder()
        .insert()
        .into(OrderEntity)
        .values(rows.slice(i, i + INSERT_CHUNK) as QueryDeepPartialEntity<OrderEntity>[])
        .orUpdate(columns, ['id'])
        .updateEntity(false)
        .execute();
    }
  }

  private event(p: Pending, shopId: number, source: IngestSource): OrderChanged {
    return {
      orderId: p.row!.id,
      shopId,
      platform: p.order.platform,
      platformOrderId: p.order.orderId,
      version: p.row!.version,
      changes: p.changes,
      source,
      dueMarked: true,
    };
  }
}

/** One entry per order id: the newest by platform modified time (a batch may repeat an order). */
function newestPerOrder(orders: CanonicalOrder[]): CanonicalOrder[] {
  const byId = new Map<string, CanonicalOrder>();
  for (const o of orders) {
    const prev = byId.get(o.orderId);
    if (!prev || prev.modifiedAt.getTime() <= o.modifiedAt.getTime()) byId.set(o.orderId, o);
  }
  return [...byId.values()];
}
