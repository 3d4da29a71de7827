import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThanOrEqual, type EntityManager, type Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import { ShopCredentialEntity } from './shop-credential.entity.js';
import type { ShopSecrets, StoredCredentials } from './shop-secrets.js';

/** The aad binds a ciphertext to its shop: a sealed blob copied onto another shop's row fails to open. */
export const credentialAad = (shopId: number): string => `shop_credentials:shop:${shopId}`;

export interface Expiries {
  accessExpiresAt: Date | null;
  refreshExpiresAt: Date | null;
}

/** Seals and opens shop credentials; the only code that sees them in plain text on the way in or out. */
@Injectable()
export class ShopCredentialVault {
  constructor(
    @InjectRepository(ShopCredentialEntity) private readonly repo: Repository<ShopCredentialEntity>,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  async read(shopId: number, manager?: EntityManager): Promise<StoredCredentials | null> {
    const row = await this.repository(manager).findOneBy({ shopId });
    if (!row) return null;
    const secrets = JSON.parse(this.box.open({ keyId: row.keyId, ciphertext: row.ciphertext }, credentialAad(shopId))) as ShopSecrets;
    return { secrets, keyId: row.keyId, accessExpiresAt: row.accessExpiresAt, refreshExpiresAt: row.refreshExpiresAt, updatedAt: row.updatedAt };
  }

  /** Replaces the shop's credentials in one row write, so a rotated refresh token is never half stored. */
  async write(shopId: number, secrets: ShopSecrets, expiries: Expiries, manager?: EntityManager): Promise<void> {
    const repo = this.repository(manager);
    const sealed = this.box.seal(JSON.stringify(secrets), credentialAad(shopId));
    const fields = { keyId: sealed.keyId, ciphertext: sealed.ciphertext, ...expiries, updatedAt: this.clock.now() };
    const existing = await repo.findOneBy({ shopId });
    if (existing) await repo.update({ id: existing.id }, fields);
    else await repo.insert({ shopId, ...fields });
  }

  async remove(shopId: number, manager?: EntityManager): Promise<void> {
    await this.repository(manager).delete({ shopId });
  }

  /** Shops whose access token dies before `before`. */
  async expiringBefore(before: Date): Promise<ShopCredentialEntity[]> {
    return this.repo.find({ where: { accessExpiresAt: LessThanOrEqual(before) }, order: { accessExpiresAt: 'ASC' } });
  }

  private repository(manager?: EntityManager): Repository<ShopCredentialEntity> {
    return manager ? manager.getRepository(ShopCredentialEntity) : this.repo;
  }
}
