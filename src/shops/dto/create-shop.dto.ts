import { IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import type { PlatformName } from '../shop.entity.js';

export const PLATFORMS: PlatformName[] = ['taobao', 'pinduoduo', 'kuaishou', 'jushuitan'];

export class CreateShopDto {
  @IsIn(PLATFORMS)
  platform: PlatformName;
  /** The platform's own shop / seller / mall id (Jushuitan: the company or shop id of the account). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  platformShopId: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  name: string;
  /** A warehouse from configuration (logistics.warehouses); `default` when omitted. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  warehouse?: string;
  /** Marketplace shops: the id of the Jushuitan account row their orders land in. */
  @IsOptional()
  @IsInt()
  @Min(1)
  erpAccountId?: number;
  /** Marketplace shops: their shop id inside Jushuitan. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  erpShopId?: string;
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;
}
