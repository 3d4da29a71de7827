import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntitySubscriberInterface, type InsertEvent, type QueryRunner, type RemoveEvent, type UpdateEvent } from 'typeorm';
import { AppConfig } from '../config/config.schema.js';
import { ShopEntity } from './shop.entity.js';
import { ShopCredentialEntity } from './shop-credential.entity.js';

/** What the directory holds: every shop, and when each shop's credentials last changed. */
export interface ShopSnapshot {
  /** Changes whenever a shop or credential row is added, removed or updated (by any process). */
  readonly generation: string;
  readonly shops: readonly Readonly<ShopEntity>[];
  byId(id: number): Readonly<ShopEntity> | undefined;
  /** The shop a platform's reference names (its shop, seller or open id). */
  byRef(platform: string, ref: string): Readonly<ShopEntity> | undefined;
  /** The credential row's updatedAt in ms, 0 when the shop has none. */
  credentialsAt(shopId: number): number;
}

const WATCHED = new Set<unknown>([ShopEntity, ShopCredentialEntity]);

/**
 * The shops every event path looks up (push keys, the shop a push names, whether a shop is usable and
 * whether its adapter is still current), read once and shared in the process instead of once per event.
 *
 * Freshness: a write through TypeORM in this process marks the directory stale at once (at commit, when
 * made in a transaction). A write by another process is seen within `shopDirectory.checkMs`: after
 * that, the next lookup asks the database for a generation (row counts and latest updatedAt of shops
 * and credentials, one statement) and reloads only when it moved.
 */
@Injectable()
export class ShopDirectory implements OnModuleInit {
  private snapshot: ShopSnapshot | undefined;
  private checkedAt = 0;
  private stale = true;
  private loading: Promise<ShopSnapshot> | undefined;
  /** Transactions that wrote a shop or credential row: the directory goes stale when they commit. */
  private readonly touched = new WeakSet<QueryRunner>();

  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const wrote = (e: { metadata: { target: unknown }; queryRunner: QueryRunner }) => {
      if (!WATCHED.has(e.metadata.target)) return;
      if (e.queryRunner.isTransactionActive) this.touched.add(e.queryRunner);
      this.markStale();
    };
    const subscriber: EntitySubscriberInterface = {
      afterInsert: (e: InsertEvent<unknown>) => wrote(e),
      afterUpdate: (e: UpdateEvent<unknown>) => wrote(e),
      afterRemove: (e: RemoveEvent<unknown>) => wrote(e),
      afterTransactionCommit: (e) => {
        if (this.touched.has(e.queryRunner)) this.markStale();
        this.touched.delete(e.queryRunner);
      },
      afterTransactionRollback: (e) => void this.touched.delete(e.queryRunner),
    };
    this.ds.subscribers.push(subscriber);
  }

  /** The next lookup checks the database first. */
  markStale(): void {
    this.stale = true;
  }

  async current(): Promise<ShopSnapshot> {
    for (;;) {
      if (this.loading) {
        // A check is running: wait for it, as it may have begun before a write this caller just made.
        await this.loading.catch(() => undefined);
        // That write marked the directory stale again, and the loop checks once more.
        if (this.snapshot && !this.stale && this.loading === undefined) return this.snapshot;
        continue;
      }
      const due = this.stale || Date.now() - this.checkedAt >= this.config.shopDirectory.checkMs;
      if (this.snapshot && !due) return this.snapshot;
      this.loading = this.refresh().finally(() => (this.loading = undefined));
      return this.loading;
    }
  }

  private async refresh(): Promise<ShopSnapshot> {
    // Cleared before reading: a write landing while this runs marks it stale again for the next lookup.
    this.stale = false;
    const checkedAt = Date.now();
    const generation = await this.generation();
    if (this.snapshot?.generation !== generation) this.snapshot = await this.load(generation);
    this.checkedAt = checkedAt;
    return this.snapshot;
  }

  private async generation(): Promise<string> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT (SELECT COUNT(*) FROM shops) AS sn, (SELECT MAX(updated_at) FROM shops) AS sa,
              (SELECT COUNT(*) FROM shop_credentials) AS cn, (SELECT MAX(updated_at) FROM shop_credentials) AS ca`,
    );
    const r = rows[0] ?? {};
    const text = (v: unknown): string => (v instanceof Date ? String(v.getTime()) : typeof v === 'string' || typeof v === 'number' ? String(v) : '');
    return `${text(r.sn)}@${text(r.sa)}|${text(r.cn)}@${text(r.ca)}`;
  }

  private async load(generation: string): Promise<ShopSnapshot> {
    const shops = await this.ds.getRepository(ShopEntity).find({ order: { id: 'ASC' } });
    const creds = await this.ds.getRepository(ShopCredentialEntity).find({ select: { id: true, shopId: true, updatedAt: true } });
    const byId = new Map(shops.map((s) => [s.id, s]));
    const byRef = new Map(shops.map((s) => [`${s.platform}|${s.platformShopId}`, s]));
    const credAt = new Map(creds.map((c) => [c.shopId, c.updatedAt.getTime()]));
    return {
      generation,
      shops,
      byId: (id) => byId.get(id),
      byRef: (platform, ref) => byRef.get(`${platform}|${ref}`),
      credentialsAt: (shopId) => credAt.get(shopId) ?? 0,
    };
  }
}
