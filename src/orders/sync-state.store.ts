import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { errorText } from '../common/errors.js';
import { SyncStateEntity } from './sync-state.entity.js';

/** sync_states rows: the cursor moves only inside the transaction that stored what it covers. */
@Injectable()
export class SyncStateStore {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  async get(shopId: number, resource: string): Promise<SyncStateEntity> {
    const repo = this.ds.getRepository(SyncStateEntity);
    const found = await repo.findOneBy({ shopId, resource });
    if (found) return found;
    await repo
      .createQueryBuilder()
      .insert()
      .values({ shopId, resource, cursor: null, windowStart: null, windowEnd: null, lastSuccessAt: null, failureCount: 0, lastError: null, listCalls: 0, detailCalls: 0, updatedAt: this.clock.now() })
      .orIgnore()
      .execute();
    return repo.findOneByOrFail({ shopId, resource });
  }

  /** Advances the cursor past a window, with the calls it cost, in the caller's transaction. */
  async advance(m: EntityManager, id: number, window: { start: Date; end: Date }, calls: { list: number; detail: number }): Promise<void> {
    const now = this.clock.now();
    await m
      .createQueryBuilder()
      .update(SyncStateEntity)
      .set({
        windowStart: window.start,
        windowEnd: window.end,
        lastSuccessAt: now,
        failureCount: 0,
        lastError: null,
        updatedAt: now,
        listCalls: () => `list_calls + ${calls.list}`,
        detailCalls: () => `detail_calls + ${calls.detail}`,
      })
      .where('id = :id', { id })
      .execute();
  }

  async failed(id: number, err: unknown): Promise<void> {
    await this.ds
      .createQueryBuilder()
      .update(SyncStateEntity)
      .set({ failureCount: () => 'failure_count + 1', lastError: errorText(err, 500), updatedAt: this.clock.now() })
      .where('id = :id', { id })
      .execute();
  }

  /** A rate-limit wait is noted but is not a failure of the shop. */
  async waiting(id: number, note: string): Promise<void> {
    await this.ds.getRepository(SyncStateEntity).update({ id }, { lastError: note.slice(0, 500), updatedAt: this.clock.now() });
  }
}
