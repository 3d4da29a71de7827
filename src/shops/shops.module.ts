import { Module, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/config.schema.js';
import { PushKeys } from '../orders/push/push-keys.js';
import { SyncStateEntity } from '../orders/sync-state.entity.js';
import { PlatformRegistry } from '../platforms/registry.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { OAuthController } from './oauth.controller.js';
import { ShopEntity } from './shop.entity.js';
import { ShopAdapters } from './shop-adapters.js';
import { ShopAdaptersService } from './shop-adapters.service.js';
import { ShopCredentialEntity } from './shop-credential.entity.js';
import { ShopCredentialVault } from './shop-credential.vault.js';
import { ShopDirectory } from './shop-directory.js';
import { ShopHealthService } from './shop-health.service.js';
import { ShopOAuthService } from './shop-oauth.service.js';
import { ShopPushKeys } from './shop-push-keys.js';
import { ShopRateLimiter } from './shop-rate-limiter.provider.js';
import { ShopTokenRefresher } from './shop-token-refresher.js';
import { ShopSettingsController } from './shop-settings.controller.js';
import { ShopSettingsModule } from './shop-settings.module.js';
import { ShopsController } from './shops.controller.js';
import { ShopsService } from './shops.service.js';

/** Shops, their sealed credentials, OAuth connect, token refresh, and the adapters and push keys built from them. */
@Module({
  imports: [TypeOrmModule.forFeature([ShopEntity, ShopCredentialEntity, SyncStateEntity]), TasksModule, ShopSettingsModule],
  controllers: [ShopsController, OAuthController, ShopSettingsController],
  providers: [
    // Bad input answers 400 with messages naming the field, for every DTO in the service.
    { provide: APP_PIPE, useFactory: () => new ValidationPipe({ transform: true }) },
    ShopRateLimiter,
    {
      provide: PlatformRegistry,
      useFactory: (rl: ShopRateLimiter, config: AppConfig, clock: Clock) =>
        new PlatformRegistry({ limiter: rl.limiter, timeoutMs: config.platforms.timeoutMs, now: () => clock.now() }),
      inject: [ShopRateLimiter, AppConfig, Clock],
    },
    ShopCredentialVault,
    ShopDirectory,
    ShopTokenRefresher,
    ShopAdaptersService,
    { provide: ShopAdapters, useExisting: ShopAdaptersService },
    ShopsService,
    ShopOAuthService,
    ShopHealthService,
    ShopPushKeys,
    { provide: PushKeys, useExisting: ShopPushKeys },
  ],
  exports: [ShopAdapters, ShopDirectory, ShopCredentialVault, ShopTokenRefresher, PushKeys, ShopSettingsModule],
})
export class ShopsModule {}
