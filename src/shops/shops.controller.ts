import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { CreateShopDto } from './dto/create-shop.dto.js';
import { ShopCredentialsDto } from './dto/shop-credentials.dto.js';
import { ShopHealthService, type ShopHealth } from './shop-health.service.js';
import { ShopOAuthService } from './shop-oauth.service.js';
import type { ShopView } from './shop.view.js';
import { ShopsService } from './shops.service.js';

const ShopId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('id must be a whole number') });

/** Shop operators: shops and Jushuitan accounts, their keys, OAuth connect and health. */
@Controller('api/shops')
export class ShopsController {
  constructor(
    private readonly shops: ShopsService,
    private readonly oauth: ShopOAuthService,
    private readonly healthService: ShopHealthService,
  ) {}

  @Post()
  create(@Body() dto: CreateShopDto): Promise<ShopView> {
    return this.shops.create(dto);
  }

  @Get()
  list(): Promise<ShopView[]> {
    return this.shops.list();
  }

  @Get(':id')
  show(@Param('id', ShopId) id: number): Promise<ShopView> {
    return this.shops.show(id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id', ShopId) id: number): Promise<ShopView> {
    return this.shops.setPaused(id, true);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id', ShopId) id: number): Promise<ShopView> {
    return this.shops.setPaused(id, false);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', ShopId) id: number): Promise<void> {
    await this.shops.remove(id);
  }

  @Put(':id/credentials')
  credentials(@Param('id', ShopId) id: number, @Body() dto: ShopCredentialsDto): Promise<ShopView> {
    return this.shops.putCredentials(id, dto);
  }

  @Get(':id/oauth/authorize-url')
  authorizeUrl(@Param('id', ShopId) id: number): Promise<{ url: string; state: string; redirectUri: string }> {
    return this.oauth.authorizeUrl(id);
  }

  @Get(':id/health')
  health(@Param('id', ShopId) id: number): Promise<ShopHealth> {
    return this.healthService.health(id);
  }
}
