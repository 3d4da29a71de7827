import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ROLES, type Role } from '../../auth/roles.decorator.js';
import { PagedShopListQuery } from '../../common/dto/list.query.js';
import type { TaskStatus } from '../task.entity.js';

export const TASK_STATUSES: TaskStatus[] = ['open', 'claimed', 'done', 'escalated', 'cancelled'];

export class ListTasksQuery extends PagedShopListQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  orderId?: number;
  @IsOptional()
  @IsString()
  @MaxLength(32)
  type?: string;
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
  /** `me`, `none` (the pool) or a user id. */
  @IsOptional()
  @Matches(/^(me|none|[1-9]\d*)$/, { message: 'assignee must be me, none or a user id' })
  assignee?: string;
  /** Only unfinished tasks past their due time. */
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
}

export class CompleteTaskDto {
  /** What was done, in words the next person understands. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  outcome: string;
}

export class EscalateTaskDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

export class ReassignTaskDto {
  @IsInt()
  @Min(1)
  userId: number;
}

export class ContactTaskDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

/** A compensation for the buyer, in fen; above the shop's agent authority it goes to a lead. */
export class CompensateTaskDto {
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  amountFen: number;
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

export class CancelTaskDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  reason: string;
}
