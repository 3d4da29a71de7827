import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { badField, isUniqueViolation } from '../common/errors.js';
import { hashApiToken, looksLikeApiToken, newApiToken, tokenMatches } from './api-token.js';
import { AuthUser } from './auth-user.js';
import type { Role } from './roles.decorator.js';
import { UserEntity } from './user.entity.js';

export interface NewUser {
  name: string;
  roles: Role[];
  agentId?: string | null;
  /** Omitted or null: every shop. */
  shopIds?: number[] | null;
  /** Defaults to every role the user holds. */
  onDuty?: Role[];
}

export type UserChanges = Partial<NewUser>;

export interface UserView {
  id: number;
  name: string;
  agentId: string | null;
  roles: Role[];
  onDuty: Role[];
  shopIds: number[] | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export const userView = (u: UserEntity): UserView => ({
  id: u.id,
  name: u.name,
  agentId: u.agentId,
  roles: u.roles,
  onDuty: u.onDuty,
  shopIds: u.shopIds,
  disabled: u.disabled,
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});

/** Users, their roles, duty and shops, and their API tokens (shown once, stored as a hash). */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>,
    private readonly clock: Clock,
  ) {}

  async create(input: NewUser): Promise<{ user: UserEntity; token: string }> {
    const token = newApiToken();
    const now = this.clock.now();
    const user = this.repo.create({
      name: input.name,
      agentId: input.agentId ?? null,
      roles: unique(input.roles),
      onDuty: unique(input.onDuty ?? input.roles),
      shopIds: input.shopIds ?? null,
      tokenHash: hashApiToken(token),
      disabled: false,
      createdAt: now,
      updatedAt: now,
    });
    checkDuty(user);
    return { user: await this.save(user), token };
  }

  list(): Promise<UserEntity[]> {
    return this.repo.find({ order: { id: 'ASC' } });
  }

  async get(id: number): Promise<UserEntity> {
    const user = await this.repo.findOneBy({ id });
    if (!user) throw new NotFoundException(`user ${id} not found`);
    return user;
  }

  async update(id: number, changes: UserChanges): Promise<UserEntity> {
    const user = await this.get(id);
    if (changes.name !== undefined) user.name = changes.name;
    if (changes.agentId !== undefined) user.agentId = changes.agentId;
    if (changes.shopIds !== undefined) user.shopIds = changes.shopIds;
    if (changes.roles !== undefined) {
      user.roles = unique(changes.roles);
      // Dropping a role ends duty for it; a role given now starts on duty unless onDuty says otherwise.
      if (changes.onDuty === undefined) user.onDuty = user.onDuty.filter((r) => user.roles.includes(r));
    }
    if (changes.onDuty !== undefined) user.onDuty = unique(changes.onDuty);
    checkDuty(user);
    if (!user.roles.includes('operator')) await this.keepAnOperator(user.id);
    user.updatedAt = this.clock.now();
    return this.save(user);
  }

  /** Puts a user on or off duty for their roles (what an agent does at the start and end of a shift). */
  async setDuty(id: number, onDuty: Role[]): Promise<UserEntity> {
    return this.update(id, { onDuty });
  }

  /** A new token replaces the old one at once; the old one stops working. */
  async rotateToken(id: number): Promise<{ user: UserEntity; token: string }> {
    const user = await this.get(id);
    const token = newApiToken();
    user.tokenHash = hashApiToken(token);
    user.updatedAt = this.clock.now();
    return { user: await this.repo.save(user), token };
  }

  async setDisabled(id: number, disabled: boolean): Promise<UserEntity> {
    const user = await this.get(id);
    if (disabled && user.roles.includes('operator')) await this.keepAnOperator(user.id);
    user.disabled = disabled;
    user.updatedAt = this.clock.now();
    return this.repo.save(user);
  }

  /** The enabled user holding this token, or null; never says which part was wrong. */
  async authenticate(token: string): Promise<AuthUser | null> {
    if (!looksLikeApiToken(token)) return null;
    const user = await this.repo.findOneBy({ tokenHash: hashApiToken(token) });
    if (!user || user.disabled || !tokenMatches(token, user.tokenHash)) return null;
    return AuthUser.of(user);
  }

  /** Enabled users on duty for `role` who work on `shopId`, in a stable order (by id). */
  async onDutyFor(shopId: number, role: Role, manager?: EntityManager): Promise<UserEntity[]> {
    const repo = manager ? manager.getRepository(UserEntity) : this.repo;
    // A team is tens of people: reading them all is cheaper than JSON queries that differ per database.
    const users = await repo.find({ where: { disabled: false }, order: { id: 'ASC' } });
    return users.filter((u) => u.roles.includes(role) && u.onDuty.includes(role) && (u.shopIds === null || u.shopIds.includes(shopId)));
  }

  findByAgentId(agentId: string, manager?: EntityManager): Promise<UserEntity | null> {
    return (manager ? manager.getRepository(UserEntity) : this.repo).findOneBy({ agentId, disabled: false });
  }

  /** Nobody could manage users any more if the last enabled operator went. */
  private async keepAnOperator(losingId: number): Promise<void> {
    const others = (await this.repo.findBy({ disabled: false })).filter((u) => u.id !== losingId && u.roles.includes('operator'));
    const losing = await this.repo.findOneBy({ id: losingId });
    if (losing?.roles.includes('operator') && !losing.disabled && others.length === 0) {
      throw new ConflictException('this is the last enabled operator: make another operator first');
    }
  }

  private async save(user: UserEntity): Promise<UserEntity> {
    try {
      return await this.repo.save(user);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictException(`agentId ${user.agentId} is already taken`);
      throw err;
    }
  }
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function checkDuty(user: UserEntity): void {
  const stray = user.onDuty.filter((r) => !user.roles.includes(r));
  if (stray.length) throw badField('onDuty', `may only list the user's roles (${user.roles.join(', ')}); not ${stray.join(', ')}`);
}
