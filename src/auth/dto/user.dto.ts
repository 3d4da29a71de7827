import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import { OmitType, PartialType } from '@nestjs/swagger';
import { ROLES, type Role } from '../roles.decorator.js';

const AGENT_ID = /^[A-Za-z0-9_-]{1,32}$/;

export class CreateUserDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  name: string;
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];
  /** The id written at the end of this person's remark lines, e.g. `kf01`. */
  @IsOptional()
  @Matches(AGENT_ID, { message: 'agentId must be 1–32 letters, digits, _ or -' })
  agentId?: string;
  /** The shops this person works on; omitted or null for every shop. */
  @IsOptional()
  @IsArray()
  @IsInt({ each: true })
  @Min(1, { each: true })
  shopIds?: number[] | null;
  /** The roles this person starts on duty for; every role when omitted. */
  @IsOptional()
  @IsArray()
  @IsIn(ROLES, { each: true })
  onDuty?: Role[];
}

/** Any of a new user's fields; agentId and shopIds may also be null (no agent id; every shop). */
export class UpdateUserDto extends PartialType(OmitType(CreateUserDto, ['agentId', 'shopIds'] as const)) {
  @ValidateIf((o: UpdateUserDto) => o.agentId !== null && o.agentId !== undefined)
  @Matches(AGENT_ID, { message: 'agentId must be 1–32 letters, digits, _ or -' })
  agentId?: string | null;
  @ValidateIf((o: UpdateUserDto) => o.shopIds !== null && o.shopIds !== undefined)
  @IsArray()
  @IsInt({ each: true })
  @Min(1, { each: true })
  shopIds?: number[] | null;
}

export class DutyDto {
  /** The roles to be on duty for from now on (a subset of the caller's roles); [] goes off duty. */
  @IsArray()
  @IsIn(ROLES, { each: true })
  onDuty: Role[];
}
