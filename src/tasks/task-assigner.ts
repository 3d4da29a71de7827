import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '../auth/roles.decorator.js';
import type { UserEntity } from '../auth/user.entity.js';
import { UsersService } from '../auth/users.service.js';
import { Clock } from '../common/clock.js';
import { TaskRotationEntity } from './task-rotation.entity.js';

/**
 * Round-robin among the people on duty for a shop and role. The turn lives in task_rotations, so every
 * process shares one rotation; bumping the row first locks it until the caller's transaction ends, which
 * orders concurrent assignments (MySQL row lock; SQLite has one writer at a time).
 */
@Injectable()
export class TaskAssigner {
  constructor(
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  /**
   * Called first in a transaction that will assign. On SQLite it writes at once, so the transaction
   * holds the write lock before any read and a second process waits its turn instead of failing on a
   * stale snapshot. MySQL needs nothing here: `next` locks the row itself.
   */
  async lockForWrite(m: EntityManager, shopId: number, role: Role): Promise<void> {
    if (m.connection.options.type === 'better-sqlite3') await this.insertIfMissing(m, shopId, role);
  }

  /** The next person in turn, or null when nobody is on duty. `m` must be inside a transaction. */
  async next(m: EntityManager, shopId: number, role: Role): Promise<UserEntity | null> {
    const candidates = await this.users.onDutyFor(shopId, role, m);
    if (!candidates.length) return null;
    // Bump the row first: the UPDATE takes it exclusively, which orders concurrent assignments. An
    // INSERT IGNORE of an existing row would take a shared lock, and two flows upgrading their shared
    // locks deadlock on MySQL; so the row is inserted only when the update found none (first turn).
    if (!(await this.bump(m, shopId, role))) {
      await this.insertIfMissing(m, shopId, role);
      await this.bump(m, shopId, role);
    }
    const turn = await m.getRepository(TaskRotationEntity).findOneByOrFail({ shopId, role });
    const chosen = candidates.find((u) => u.id > (turn.lastUserId ?? 0)) ?? candidates[0];
    await m.getRepository(TaskRotationEntity).update({ id: turn.id }, { lastUserId: chosen.id });
    return chosen;
  }

  private async bump(m: EntityManager, shopId: number, role: Role): Promise<boolean> {
    const result = await m
      .createQueryBuilder()
      .update(TaskRotationEntity)
      .set({ turns: () => 'turns + 1', updatedAt: this.clock.now() })
      .where('shop_id = :shopId AND role = :role', { shopId, role })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private async insertIfMissing(m: EntityManager, shopId: number, role: Role): Promise<void> {
    await m
      .createQueryBuilder()
      .insert()
      .into(TaskRotationEntity)
      .values({ shopId, role, lastUserId: null, turns: 0, updatedAt: this.clock.now() })
      .orIgnore()
      .execute();
  }
}
