import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { errorText } from '../common/errors.js';
import { AppConfig } from '../config/config.schema.js';
import { JobQueue } from '../jobs/job-queue.js';
import { JOBS } from '../jobs/job-names.js';
import { PlatformError } from '../platforms/errors.js';
import { TasksService } from '../tasks/tasks.service.js';
import { PlatformTokenGateway } from './platform-token.gateway.js';
import { ShopEntity } from './shop.entity.js';
import { ShopCredentialVault } from './shop-credential.vault.js';
import { withTokens, type ShopSecrets, type StoredCredentials } from './shop-secrets.js';

export type RefreshOutcome = 'refreshed' | 'flagged' | 'skipped';

/** Kuaishou and Pinduoduo always may refresh; Taobao and Jushuitan only for the app kinds allowed to. */
function canRefresh(shop: ShopEntity, s: ShopSecrets): boolean {
  if (!s.refreshToken) return false;
  return shop.platform === 'kuaishou' || shop.platform === 'pinduoduo' || s.refreshable === true;
}

/**
 * Keeps shop tokens alive: refreshes them ahead of expiry where the app may, and otherwise flags the
 * shop `needs_reauth` with an operator task while the old token still works.
 */
@Injectable()
export class ShopTokenRefresher implements OnModuleInit {
  private readonly log = new Logger('shops');
  private readonly gateway: PlatformTokenGateway;
  /** One refresh per shop at a time in this process: a rotating refresh token must not be spent twice. */
  private readonly inFlight = new Map<number, Promise<RefreshOutcome>>();

  constructor(
    @InjectRepository(ShopEntity) private readonly shops: Repository<ShopEntity>,
    private readonly vault: ShopCredentialVault,
    private readonly tasks: TasksService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @Inject(JobQueue) private readonly queue: JobQueue,
  ) {
    this.gateway = new PlatformTokenGateway(config.platforms, () => clock.now());
  }

  onModuleInit(): void {
    this.queue.register(JOBS.shopsTokenRefresh, async () => void (await this.refreshDue()));
  }

  /** The scheduled scan: every shop whose token is due, each on its own so one failure stops nothing. */
  async refreshDue(): Promise<Record<number, RefreshOutcome | 'failed'>> {
    const horizon = this.clock.nowMs() + this.config.shopTokens.reauthLeadHours * 3_600_000;
    const due = await this.vault.expiringBefore(new Date(horizon));
    const out: Record<number, RefreshOutcome | 'failed'> = {};
    for (const row of due) {
      try {
        out[row.shopId] = await this.refreshShop(row.shopId, false);
      } catch (err) {
        out[row.shopId] = 'failed';
        this.log.warn({ msg: 'token refresh failed, will retry on the next scan', shopId: row.shopId, error: errorText(err, 300) });
      }
    }
    return out;
  }

  /** `now`: the platform just answered AUTH_EXPIRED, so refresh regardless of the lead time. */
  refreshShop(shopId: number, now: boolean): Promise<RefreshOutcome> {
    const running = this.inFlight.get(shopId);
    if (running) return running;
    const p = this.run(shopId, now).finally(() => this.inFlight.delete(shopId));
    this.inFlight.set(shopId, p);
    return p;
  }

  private async run(shopId: number, now: boolean): Promise<RefreshOutcome> {
    const shop = await this.shops.findOneBy({ id: shopId });
    const stored = shop ? await this.vault.read(shopId) : null;
    if (!shop || !stored || shop.status === 'needs_reauth') return 'skipped';
    if (!canRefresh(shop, stored.secrets)) {
      if (!now && !this.within(stored.accessExpiresAt, this.config.shopTokens.reauthLeadHours * 60)) return 'skipped';
      await this.flag(shop, stored, now ? 'the platform reports the access token expired' : 'the access token expires soon and this app may not refresh it');
      return 'flagged';
    }
    if (!now && !this.within(stored.accessExpiresAt, this.config.shopTokens.refreshLeadMinutes)) return 'skipped';
    return this.exchangeRefresh(shop, stored);
  }

  private async exchangeRefresh(shop: ShopEntity, stored: StoredCredentials): Promise<RefreshOutcome> {
    try {
      const tokens = await this.gateway.refresh(shop.platform, stored.secrets, stored.secrets.refreshToken ?? '');
      // Stored before anything uses it: Kuaishou discards the old refresh token minutes after rotation.
      await this.vault.write(shop.id, withTokens(stored.secrets, tokens), {
        accessExpiresAt: tokens.expiresAt,
        refreshExpiresAt: tokens.refreshExpiresAt ?? stored.refreshExpiresAt,
      });
      if (shop.authError) await this.shops.update({ id: shop.id }, { authError: null, updatedAt: this.clock.now() });
      this.log.log({ msg: 'shop token refreshed', shopId: shop.id, platform: shop.platform, expiresAt: tokens.expiresAt });
      return 'refreshed';
    } catch (err) {
      if (err instanceof PlatformError && (err.code === 'TRANSIENT' || err.code === 'RATE_LIMITED')) throw err;
      const why = err instanceof PlatformError ? `${err.code} [${err.rawCode}]` : 'refresh refused';
      await this.flag(shop, stored, `token refresh failed: ${why}`);
      return 'flagged';
    }
  }

  private async flag(shop: ShopEntity, stored: StoredCredentials, reason: string): Promise<void> {
    const expiry = stored.accessExpiresAt?.toISOString() ?? 'unknown';
    await this.shops.update({ id: shop.id }, { status: 'needs_reauth', authError: reason.slice(0, 512), updatedAt: this.clock.now() });
    await this.tasks.open({
      shopId: shop.id,
      type: 'reauthorize',
      role: 'operator',
      reason: `${shop.platform} shop "${shop.name}" must be authorised again (${reason}; token expires ${expiry})`,
      dedupeKey: `reauthorize:${shop.id}:${expiry}`,
    });
    this.log.warn({ msg: 'shop needs re-authorisation', shopId: shop.id, platform: shop.platform, reason });
  }

  private within(expiresAt: Date | null, minutes: number): boolean {
    return expiresAt !== null && expiresAt.getTime() <= this.clock.nowMs() + minutes * 60_000;
  }
}
