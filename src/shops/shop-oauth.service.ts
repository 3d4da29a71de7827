import { BadRequestException, ConflictException, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/config.schema.js';
import { PlatformError } from '../platforms/errors.js';
import { OAuthStateSigner } from './oauth-state.signer.js';
import { PlatformTokenGateway } from './platform-token.gateway.js';
import { ShopEntity, type PlatformName } from './shop.entity.js';
import { ShopAdapters } from './shop-adapters.js';
import { ShopCredentialVault } from './shop-credential.vault.js';
import { withTokens } from './shop-secrets.js';
import { ShopsService } from './shops.service.js';

/** Kuaishou codes live 2 minutes; the state only has to outlive the merchant's trip through the consent page. */
const STATE_TTL_MS = 15 * 60_000;

/** Connect by OAuth: the authorise URL with a signed single-use state, and the callback's code exchange. */
@Injectable()
export class ShopOAuthService {
  private readonly log = new Logger('shops');
  private readonly signer: OAuthStateSigner;
  private readonly gateway: PlatformTokenGateway;

  constructor(
    @InjectRepository(ShopEntity) private readonly shops: Repository<ShopEntity>,
    private readonly shopsService: ShopsService,
    private readonly vault: ShopCredentialVault,
    private readonly adapters: ShopAdapters,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.signer = new OAuthStateSigner([config.security.masterKey.key, ...config.security.previousKeys.map((k) => k.key)]);
    this.gateway = new PlatformTokenGateway(config.platforms, () => clock.now());
  }

  redirectUri(platform: PlatformName): string {
    return `${this.config.publicUrl}/api/oauth/${platform}/callback`;
  }

  async authorizeUrl(shopId: number): Promise<{ url: string; state: string; redirectUri: string }> {
    const shop = await this.shopsService.get(shopId);
    const stored = await this.vault.read(shopId);
    if (!stored) throw new ConflictException(`shop ${shopId} needs its app key and secret first (PUT /api/shops/${shopId}/credentials)`);
    const { state, nonce } = this.signer.issue(shopId, this.clock.nowMs(), STATE_TTL_MS);
    await this.shops.update({ id: shopId }, { oauthNonce: nonce });
    const redirectUri = this.redirectUri(shop.platform);
    return { url: this.gateway.authorizeUrl(shop.platform, stored.secrets, state, redirectUri), state, redirectUri };
  }

  async callback(platform: PlatformName, code: string, state: string): Promise<{ shopId: number; status: string; accessExpiresAt: string | null }> {
    const parsed = this.signer.verify(state, this.clock.nowMs());
    if (!parsed) throw new BadRequestException('state is invalid or expired');
    const shop = await this.shops.findOneBy({ id: parsed.shopId });
    if (!shop || shop.platform !== platform) throw new BadRequestException('state does not belong to this platform');
    // Conditional clear: of two callbacks racing with one state, only one exchanges the code.
    const taken = await this.shops.update({ id: shop.id, oauthNonce: parsed.nonce }, { oauthNonce: null });
    if (!taken.affected) throw new BadRequestException('state was already used or replaced by a newer one');
    const stored = await this.vault.read(shop.id);
    if (!stored) throw new ConflictException(`shop ${shop.id} has no app credentials`);
    try {
      const tokens = await this.gateway.exchange(platform, stored.secrets, code, this.redirectUri(platform));
      await this.vault.write(shop.id, withTokens(stored.secrets, tokens), { accessExpiresAt: tokens.expiresAt, refreshExpiresAt: tokens.refreshExpiresAt });
      const status = shop.status === 'paused' ? 'paused' : 'active';
      await this.shops.update({ id: shop.id }, { status, authError: null, updatedAt: this.clock.now() });
      this.adapters.invalidate(shop.id);
      this.log.log({ msg: 'shop connected by OAuth', shopId: shop.id, platform, expiresAt: tokens.expiresAt });
      return { shopId: shop.id, status, accessExpiresAt: tokens.expiresAt?.toISOString() ?? null };
    } catch (err) {
      if (!(err instanceof PlatformError)) throw err;
      // The platform's message is already stripped of secrets; the code itself is never echoed.
      throw new BadRequestException(`the platform refused the authorisation code: ${err.code} [${err.rawCode}]`);
    }
  }
}
