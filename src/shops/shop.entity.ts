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
