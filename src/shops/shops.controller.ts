import { BadRequestException, Body, Controller, Delete, ForbiddenException, Get, HttpCode, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { ROLES, Roles } from '../auth/roles.decorator.js';
import { CreateShopDto } from './dto/create-shop.dto.js';
import { ShopCredentialsDto } from './dto/shop-credentials.dto.js';
import { ShopHealthService, type ShopHealth } from './shop-health.service.js';
import { ShopOAuthService } from './shop-oauth.service.js';
import type { ShopView } from './shop.view.js';
import { ShopsService } from './shops.service.js';

const ShopId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('id must be a whole number') });

/**
 * Shop operators: shops and Jushuitan accounts, their keys, OAuth connect and health. Everyone may
 * list and read the shops they work on (their views name shops); shop-scoped users see only theirs.
 */
@Controller('api/shops')
@Roles('operator')
export class ShopsController {
  constructor(
    private readonly shops: ShopsService,
    private readonly oauth: ShopOAuthService,
    private readonly healthService: ShopHealthService,
  ) {}

  @Post()
  create(@CurrentUser() me: AuthUser, @Body() dto: CreateShopDto): Promise<ShopView> {
    // A shop-scoped operator would not see the shop they made; adding shops is for operators of all.
    if (me.shopIds !== null) throw new ForbiddenException('adding shops needs an operator of every shop');
    return this.shops.create(dto);
  }

  @Get()
  @Roles(...ROLES)
  async list(@CurrentUser() me: AuthUser): Promise<ShopView[]> {
    return (await this.shops.list()).filter((s) => me.seesShop(s.id));
  }

  @Get(':id')
  @Roles(...ROLES)
  show(@CurrentUser() me: AuthUser, @Param('id', ShopId) id: number): Promise<ShopView> {
    me.assertShop(id);
    return this.shops.show(id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@CurrentUser() me: AuthUser, @Param('id', ShopId) id: number): Promise<ShopView> {
    me.assertShop(id);
    return this.shops.setPaused(id, true);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@CurrentUser() me: AuthUser, @Param('id', ShopId) id: number): Promise<ShopView> {
    me.assertShop(id);
    return this.shops.setPaused(id, false);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() me: AuthUser, @Param('id', ShopId) id: number): Promise<void> {
    me.assertShop(id);
    await this.shops.remove(id);
  }

  @Put(':id/credentials')
  credentials(@CurrentUser() me: AuthUser, @Param('id', ShopId) id: number, @Body() dto: ShopCredentialsDto): Promise<ShopView> {
    me.assertShop(id);
    return this.shops.putCredentials(id, dto);
  }

  @Get(':id/oauth/authorize-url')
  authorizeUrl(@CurrentUser() me: AuthUser, @Param('id', ShopId) id: number): Promise<{ url: string; state: string; redirectUri: string }> {
    me.assertShop(id);
    return this.oauth.authorizeUrl(id);
  }

  @Get(':id/health')
  @Roles('operator', 'lead')
  health(@CurrentUser() me: AuthUser, @Param('id', ShopId) id: number): Promise<ShopHealth> {
    me.assertShop(id);
    return this.healthService.health(id);
  }
}
