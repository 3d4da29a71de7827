import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DateColumn, JsonColumn } from '../database/columns.js';

export type PlatformName = 'taobao' | 'pinduoduo' | 'kuaishou' | 'jushuitan';
export type ShopStatus = 'active' | 'paused' | 'needs_reauth';

@Entity('shops')
@Unique('uq_shops_platform_shop', ['platform', 'platformShopId'])
export class ShopEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'varchar', length: 16 })
  platform: PlatformName;
  @Column({ type: 'varchar', length: 64 })
  platformShopId: string;
  @Column({ type: 'varchar', length: 128 })
  name: string;
  @Column({ type: 'varchar', length: 24 })
  status: ShopStatus;
  /** The Jushuitan shop this marketplace shop's orders land in. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  erpShopId: string | null;
  /** The shop row (platform 'jushuitan') of the ERP account this marketplace shop's orders land in. */
  @Column({ type: 'integer', nullable: true })
  erpAccountId: number | null;
  /** Nonce of the OAuth state handed out last; cleared when the callback uses it (single use). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  oauthNonce: string | null;
  /** Why the shop needs re-authorisation, without any secret. */
  @Column({ type: 'varchar', length: 512, nullable: true })
  authError: string | null;
  @Column({ type: 'varchar', length: 64 })
  warehouse: string;
  /** Per-shop overrides of the rule defaults. */
  @JsonColumn({ nullable: true })
  settings: Record<string, unknown> | null;
  @DateColumn()
  createdAt: Date;
  @DateColumn()
  updatedAt: Date;
}
