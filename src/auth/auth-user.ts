import { ForbiddenException } from '@nestjs/common';
import type { Role } from './roles.decorator.js';
import type { UserEntity } from './user.entity.js';

/** The person behind a request, as the auth guard found them; controllers get it with @CurrentUser(). */
export class AuthUser {
  constructor(
    readonly id: number,
    readonly name: string,
    readonly agentId: string | null,
    readonly roles: readonly Role[],
    /** The shops this person may see; null means every shop. */
    readonly shopIds: readonly number[] | null,
  ) {}

  static of(u: UserEntity): AuthUser {
    return new AuthUser(u.id, u.name, u.agentId, u.roles, u.shopIds);
  }

  /** How this person appears in task histories and remark lines: their agent id, else their name. */
  get label(): string {
    return this.agentId ?? this.name;
  }

  has(...roles: Role[]): boolean {
    return roles.some((r) => this.roles.includes(r));
  }

  seesShop(shopId: number): boolean {
    return this.shopIds === null || this.shopIds.includes(shopId);
  }

  /** For queries: the shop ids to restrict to, or undefined when this person sees every shop. */
  get shopFilter(): number[] | undefined {
    return this.shopIds === null ? undefined : [...this.shopIds];
  }

  /** Refuses a request about a shop outside this person's shops. */
  assertShop(shopId: number): void {
    if (!this.seesShop(shopId)) throw new ForbiddenException(`shop ${shopId} is not one of your shops`);
  }
}
