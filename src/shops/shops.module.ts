import { Module, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/config.schema.js';
import { SyncStateEntity } from '../orders/sync-state.entity.js';
import { PlatformRegistry } from '../platforms/registry.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { OAuthController } from './oauth.controller.js';
import { ShopEntity } from './shop.entity.js';
import { ShopAdapters } from './shop-adapters.js';
import { ShopAdaptersService } from './shop-adapters.service.js';
import { ShopCredentialEntity } from './shop-credential.entity.js';
import { ShopCredentialVault } from './shop-credential.vault.js';
import { ShopHealthService } from './shop-health.service.js';
import { ShopOAuthService } from './shop-oauth.service.js';
import { ShopRateLimiter } from './shop-rate-limiter.provider.js';
import { ShopTokenRefresher } from './shop-token-refresher.js';
import { ShopsController } from './shops.controller.js';
import { ShopsService } from './shops.service.js';

/** Shops, their sealed credentials, OAuth connect, token refresh, and the adapters built from them. */
@Module({
  imports: [TypeOrmModule.forFeature([ShopEntity, ShopCredentialEntity, SyncStateEntity]), TasksModule],
  controllers: [ShopsController, OAuthController],
  providers: [
    // Bad input answers 400 with messages naming the field, for every DTO in the service.
    { provide: APP_PIPE, useFactory: () => new ValidationPipe({ transform: true }) },
    ShopRateLimiter,
    {
      provide: PlatformRegistry,
      useFactory: (rl: ShopRateLimiter, config: AppConfig) => new PlatformRegistry({ limiter: rl.limiter, timeoutMs: config.platforms.timeoutMs }),
      inject: [ShopRateLimiter, AppConfig],
    },
    ShopCredentialVault,
    ShopTokenRefresher,
    ShopAdaptersService,
    { provide: ShopAdapters, useExisting: ShopAdaptersService },
    ShopsService,
    ShopOAuthService,
    ShopHealthService,
  ],
  exports: [ShopAdapters, ShopCredentialVault, ShopTokenRefresher],
})
export class ShopsModule {}
