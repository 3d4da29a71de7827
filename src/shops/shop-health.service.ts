import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { SyncStateEntity } from '../orders/sync-state.entity.js';
import { ShopCredentialEntity } from './shop-credential.entity.js';
import { ShopAdaptersService } from './shop-adapters.service.js';
import { ShopsService } from './shops.service.js';

export interface ShopHealth {
  shopId: number;
  status: string;
  authError: string | null;
  resources: { resource: string; lastSuccessAt: string | null; lagSeconds: number | null; failureCount: number; lastError: string | null }[];
  lastError: { resource: string; error: string; at: string } | null;
  token: { accessExpiresAt: string | null; refreshExpiresAt: string | null; expiresInSeconds: number | null };
  /** Counted by this process's adapters since midnight Asia/Shanghai. */
  apiCallsToday: number;
}

/** Per-shop health from the sync states, the token expiry and the call counter. */
@Injectable()
export class ShopHealthService {
  constructor(
    private readonly shops: ShopsService,
    @InjectRepository(SyncStateEntity) private readonly syncs: Repository<SyncStateEntity>,
    @InjectRepository(ShopCredentialEntity) private readonly creds: Repository<ShopCredentialEntity>,
    private readonly adapters: ShopAdaptersService,
    private readonly clock: Clock,
  ) {}

  async health(shopId: number): Promise<ShopHealth> {
    const shop = await this.shops.get(shopId);
    const now = this.clock.nowMs();
    const states = await this.syncs.find({ where: { shopId }, order: { resource: 'ASC' } });
    const cred = await this.creds.findOneBy({ shopId });
    const failing = states.filter((s) => s.lastError).sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
    const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
    return {
      shopId,
      status: shop.status,
      authError: shop.authError,
      resources: states.map((s) => ({
        resource: s.resource,
        lastSuccessAt: iso(s.lastSuccessAt),
        lagSeconds: s.lastSuccessAt ? Math.max(0, Math.round((now - s.lastSuccessAt.getTime()) / 1000)) : null,
        failureCount: s.failureCount,
        lastError: s.lastError,
      })),
      lastError: failing?.lastError ? { resource: failing.resource, error: failing.lastError, at: failing.updatedAt.toISOString() } : null,
      token: {
        accessExpiresAt: iso(cred?.accessExpiresAt),
        refreshExpiresAt: iso(cred?.refreshExpiresAt),
        expiresInSeconds: cred?.accessExpiresAt ? Math.round((cred.accessExpiresAt.getTime() - now) / 1000) : null,
      },
      apiCallsToday: this.adapters.callsToday(shopId),
    };
  }
}
