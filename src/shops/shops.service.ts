import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, type Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { badField as field, isUniqueViolation } from '../common/errors.js';
import { AppConfig } from '../config/config.schema.js';
import type { CreateShopDto } from './dto/create-shop.dto.js';
import type { ShopCredentialsDto } from './dto/shop-credentials.dto.js';
import { ShopEntity } from './shop.entity.js';
import { ShopAdapters } from './shop-adapters.js';
import { ShopCredentialEntity } from './shop-credential.entity.js';
import { ShopCredentialVault } from './shop-credential.vault.js';
import { shopView, type ShopView } from './shop.view.js';

/** Shops and Jushuitan accounts: create, list, pause/resume, delete, enter keys. */
@Injectable()
export class ShopsService {
  constructor(
    @InjectRepository(ShopEntity) private readonly shops: Repository<ShopEntity>,
    @InjectRepository(ShopCredentialEntity) private readonly creds: Repository<ShopCredentialEntity>,
    private readonly vault: ShopCredentialVault,
    private readonly adapters: ShopAdapters,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async create(dto: CreateShopDto): Promise<ShopView> {
    const warehouse = dto.warehouse ?? 'default';
    if (!this.config.logistics.warehouses[warehouse]) throw field('warehouse', `must be one of ${Object.keys(this.config.logistics.warehouses).join(', ')}`);
    await this.checkErpLink(dto);
    const now = this.clock.now();
    const shop = this.shops.create({
      platform: dto.platform,
      platformShopId: dto.platformShopId,
      name: dto.name,
      status: 'active',
      warehouse,
      erpAccountId: dto.erpAccountId ?? null,
      erpShopId: dto.erpShopId ?? null,
      settings: dto.settings ?? null,
      oauthNonce: null,
      authError: null,
      createdAt: now,
      updatedAt: now,
    });
    try {
      return shopView(await this.shops.save(shop), null);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictException(`platformShopId ${dto.platformShopId} is already a ${dto.platform} shop`);
      throw err;
    }
  }

  async list(): Promise<ShopView[]> {
    const shops = await this.shops.find({ order: { id: 'ASC' } });
    const creds = shops.length ? await this.creds.find({ where: { shopId: In(shops.map((s) => s.id)) } }) : [];
    const byShop = new Map(creds.map((c) => [c.shopId, c]));
    return shops.map((s) => shopView(s, byShop.get(s.id) ?? null));
  }

  async show(id: number): Promise<ShopView> {
    return shopView(await this.get(id), await this.creds.findOneBy({ shopId: id }));
  }

  async get(id: number): Promise<ShopEntity> {
    const shop = await this.shops.findOneBy({ id });
    if (!shop) throw new NotFoundException(`shop ${id} not found`);
    return shop;
  }

  /** Pausing stops polling and pushes for the shop; resuming does not clear a needs_reauth flag. */
  async setPaused(id: number, paused: boolean): Promise<ShopView> {
    const shop = await this.get(id);
    if (paused && shop.status !== 'paused') shop.status = 'paused';
    if (!paused && shop.status === 'paused') shop.status = shop.authError ? 'needs_reauth' : 'active';
    shop.updatedAt = this.clock.now();
    await this.shops.save(shop);
    this.adapters.invalidate(id);
    return this.show(id);
  }

  async remove(id: number): Promise<void> {
    const shop = await this.get(id);
    if (shop.platform === 'jushuitan') {
      const users = await this.shops.count({ where: { erpAccountId: id } });
      if (users) throw new ConflictException(`Jushuitan account ${id} still receives orders of ${users} shop(s)`);
    }
    await this.dataSource.transaction(async (m) => {
      await this.vault.remove(id, m);
      await m.getRepository(ShopEntity).delete({ id });
    });
    this.adapters.invalidate(id);
  }

  /** Keys entered by hand; tokens entered with them replace stored ones, otherwise stored tokens stay. */
  async putCredentials(id: number, dto: ShopCredentialsDto): Promise<ShopView> {
    const shop = await this.get(id);
    if (shop.platform === 'kuaishou' && !dto.signSecret) throw field('signSecret', 'is required for Kuaishou (the request-signing secret)');
    const now = this.clock.nowMs();
    const previous = await this.vault.read(id);
    const sameApp = previous?.secrets.appKey === dto.appKey;
    const secrets = {
      appKey: dto.appKey,
      appSecret: dto.appSecret,
      signSecret: dto.signSecret,
      signMethod: dto.signMethod,
      pushKey: dto.pushKey ?? (sameApp ? previous?.secrets.pushKey : undefined),
      refreshable: dto.refreshable,
      accessToken: dto.accessToken ?? (sameApp ? previous?.secrets.accessToken : undefined),
      refreshToken: dto.refreshToken ?? (sameApp ? previous?.secrets.refreshToken : undefined),
    };
    const keep = sameApp && !dto.accessToken;
    await this.vault.write(id, secrets, {
      accessExpiresAt: dto.expiresIn ? new Date(now + dto.expiresIn * 1000) : keep ? (previous?.accessExpiresAt ?? null) : null,
      refreshExpiresAt: dto.refreshExpiresIn ? new Date(now + dto.refreshExpiresIn * 1000) : keep ? (previous?.refreshExpiresAt ?? null) : null,
    });
    if (dto.accessToken && shop.status === 'needs_reauth') {
      await this.shops.update({ id }, { status: 'active', authError: null, updatedAt: this.clock.now() });
    }
    this.adapters.invalidate(id);
    return this.show(id);
  }

  private async checkErpLink(dto: CreateShopDto): Promise<void> {
    if (dto.platform === 'jushuitan') {
      if (dto.erpAccountId !== undefined) throw field('erpAccountId', 'must be empty for a Jushuitan account');
      return;
    }
    if (dto.erpAccountId === undefined) return;
    const account = await this.shops.findOneBy({ id: dto.erpAccountId });
    if (!account || account.platform !== 'jushuitan') throw field('erpAccountId', `must name a Jushuitan account (shop ${dto.erpAccountId} is not one)`);
  }
}
