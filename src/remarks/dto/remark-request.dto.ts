import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { FLAG_COLOURS, type FlagColour } from '../../config/config.schema.js';
import { COURIERS } from '../remark-kinds.js';

/** The kinds an agent asks for; 已催件 and 补发单号 are written by kefu-bridge itself. */
export const REQUESTABLE_KINDS = ['address_change', 'product_change', 'courier_request', 'ship_date', 'other', 'refund_reason'] as const;
export type RequestableKind = (typeof REQUESTABLE_KINDS)[number];

export class NewAddressDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  province: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  city: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  district: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  detail: string;
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  name: string;
  @Matches(/^1\d{10}$/, { message: 'address.phone must be an 11-digit mobile number' })
  phone: string;
}

/** POST /api/orders/:id/remarks. Which fields are required depends on `kind`. */
export class CreateRemarkRequestDto {
  @IsIn(REQUESTABLE_KINDS)
  kind: RequestableKind;

  @ValidateIf((d: CreateRemarkRequestDto) => d.kind === 'address_change')
  @ValidateNested()
  @Type(() => NewAddressDto)
  address?: NewAddressDto;

  @ValidateIf((d: CreateRemarkRequestDto) => d.kind === 'product_change')
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  product?: string;
  @IsOptional()
  @IsString()
  @MaxLength(40)
  sku?: string;
  @ValidateIf((d: CreateRemarkRequestDto) => d.kind === 'product_change')
  @IsInt()
  @Min(1)
  @Max(999)
  quantity?: number;

  @ValidateIf((d: CreateRemarkRequestDto) => d.kind === 'courier_request')
  @IsIn(COURIERS)
  courier?: string;
  /** 顺丰 needs 标快/特快 and 寄付/到付 (rules.md §2). */
  @ValidateIf((d: CreateRemarkRequestDto) => d.kind === 'courier_request' && (d.courier === '顺丰' || d.service !== undefined))
  @IsIn(['标快', '特快'])
  service?: '标快' | '特快';
  @ValidateIf((d: CreateRemarkRequestDto) => d.kind === 'courier_request' && (d.courier === '顺丰' || d.payment !== undefined))
  @IsIn(['寄付', '到付'])
  payment?: '寄付' | '到付';

  @ValidateIf((d: CreateRemarkRequestDto) => d.kind === 'ship_date')
  @IsInt()
  @Min(1)
  @Max(12)
  month?: number;
  @ValidateIf((d: CreateRemarkRequestDto) => d.kind === 'ship_date')
  @IsInt()
  @Min(1)
  @Max(31)
  day?: number;

  @ValidateIf((d: CreateRemarkRequestDto) => d.kind === 'other')
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  text?: string;

  @ValidateIf((d: CreateRemarkRequestDto) => d.kind === 'refund_reason')
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  reason?: string;

  /** Where to write: both by default. An address change goes to the memo only; the ERP address follows from it. */
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(['marketplace', 'erp'], { each: true })
  targets?: ('marketplace' | 'erp')[];

  /** Overrides the shop's flag for the kind. */
  @IsOptional()
  @IsIn(FLAG_COLOURS)
  flag?: FlagColour;
}
