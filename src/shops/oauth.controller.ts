import { BadRequestException, Controller, Get, Param, Query } from '@nestjs/common';
import { Public } from '../auth/roles.decorator.js';
import { PLATFORMS } from './dto/create-shop.dto.js';
import type { PlatformName } from './shop.entity.js';
import { ShopOAuthService } from './shop-oauth.service.js';

/** Where the platforms send the merchant back after consent: public, the signed single-use state authenticates it. */
@Controller('api/oauth')
@Public()
export class OAuthController {
  constructor(private readonly oauth: ShopOAuthService) {}

  @Get(':platform/callback')
  callback(
    @Param('platform') platform: string,
    @Query('code') code: unknown,
    @Query('state') state: unknown,
  ): Promise<{ shopId: number; status: string; accessExpiresAt: string | null }> {
    if (!PLATFORMS.includes(platform as PlatformName)) throw new BadRequestException(`platform must be one of ${PLATFORMS.join(', ')}`);
    if (typeof code !== 'string' || !code) throw new BadRequestException('code is required');
    if (typeof state !== 'string' || !state) throw new BadRequestException('state is required');
    return this.oauth.callback(platform as PlatformName, code, state);
  }
}
