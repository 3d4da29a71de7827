import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export class ReshipLineDto {
  /** The SKU as the ERP knows it (the order line's outer SKU code). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  skuId: string;
  @IsInt()
  @Min(1)
  @Max(999)
  qty: number;
  @IsOptional()
  @IsString()
  @MaxLength(128)
  name?: string;
}

/** An agent files a replacement shipment (补发): which order, which lines, why, and who is responsible. */
export class CreateReshipDto {
  @IsInt()
  @Min(1)
  orderId: number;
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ReshipLineDto)
  lines: ReshipLineDto[];
  /** One of the configured reasons (reship.reasons), e.g. lost, damaged, missing, wrong, signed_not_received. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  reason: string;
  /** One of reship.responsibleParties: courier, warehouse, merchant, buyer. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(16)
  responsibleParty: string;
  @IsOptional()
  @IsString()
  @MaxLength(255)
  note?: string;
}
