import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn } from '../database/columns.js';

/** A shop's credentials (app keys, tokens) sealed as one AES-256-GCM blob; never stored in plain text. */
@Entity('shop_credentials')
export class ShopCredentialEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'integer', unique: true })
  shopId: number;
  @Column({ type: 'varchar', length: 32 })
  keyId: string;
  @Column({ type: 'text' })
  ciphertext: string;
  @DateColumn({ nullable: true })
  accessExpiresAt: Date | null;
  @DateColumn({ nullable: true })
  refreshExpiresAt: Date | null;
  @DateColumn()
  updatedAt: Date;
}
