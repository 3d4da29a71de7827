import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ShopSettingsService } from './shop-settings.service.js';
import { ShopEntity } from './shop.entity.js';

/** Each shop's effective settings, on their own so tasks can read them without the rest of the shops module. */
@Module({
  imports: [TypeOrmModule.forFeature([ShopEntity])],
  providers: [ShopSettingsService],
  exports: [ShopSettingsService],
})
export class ShopSettingsModule {}
