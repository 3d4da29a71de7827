import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type Repository } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { isUniqueViolation } from '../../common/errors.js';
import { PushLeaseEntity } from './push-lease.entity.js';

/** A lease holder name: host, pid and a random tag (pids repeat across containers, and apps within a process). */
export function newHolder(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Database leases: one holder per name until it stops renewing. Every step is a single conditional
 * write, so two processes racing for a free or lapsed lease cannot both win.
 */
@Injectable()
export class PushLeases {
  constructor(
    @InjectRepository(PushLeaseEntity) private readonly repo: Repository<PushLeaseEntity>,
    private readonly clock: Clock,
  ) {}

  /** Takes or renews the lease; false while someone else holds it. */
  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const fields = { holder, expiresAt: new Date(now.getTime() + ttlMs), updatedAt: now };
    const renewed = await this.repo.update({ name, holder }, fields);
    if ((renewed.affected ?? 0) > 0) return true;
    const taken = await this.repo.update({ name, expiresAt: LessThan(now) }, fields);
    if ((taken.affected ?? 0) > 0) return true;
    try {
      await this.repo.insert({ name, ...fields });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async release(name: string, holder: string): Promise<void> {
    await this.repo.update({ name, holder }, { expiresAt: new Date(0), updatedAt: this.clock.now() });
  }

  async holderOf(name: string): Promise<string | null> {
    const row = await this.repo.findOne({ where: { name } });
    return row && row.expiresAt > this.clock.now() ? row.holder : null;
  }
}
