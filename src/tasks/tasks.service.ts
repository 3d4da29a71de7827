import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { isUniqueViolation } from '../common/errors.js';
import { AppConfig } from '../config/config.schema.js';
import { TaskEntity, type TaskRole } from './task.entity.js';

export interface OpenTask {
  shopId: number;
  orderId?: number | null;
  type: string;
  role: TaskRole;
  reason: string;
  priority?: number;
  /** One open task per cause: opening the same key again returns the open task. */
  dedupeKey?: string;
  /** Minutes until due; defaults to the SLA configured for the task type. */
  dueInMinutes?: number;
  by?: string;
}

/** Tasks for people: opened by rules and by the system when something needs a human. */
@Injectable()
export class TasksService {
  constructor(
    @InjectRepository(TaskEntity) private readonly repo: Repository<TaskEntity>,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async open(t: OpenTask, manager?: EntityManager): Promise<{ task: TaskEntity; created: boolean }> {
    const repo = manager ? manager.getRepository(TaskEntity) : this.repo;
    if (t.dedupeKey) {
      const existing = await repo.findOneBy({ dedupeKey: t.dedupeKey });
      if (existing) return { task: existing, created: false };
    }
    const now = this.clock.now();
    const sla = t.dueInMinutes ?? this.config.tasks.slaMinutes[t.type] ?? this.config.tasks.slaMinutes.default ?? 240;
    const task = repo.create({
      shopId: t.shopId,
      orderId: t.orderId ?? null,
      type: t.type,
      role: t.role,
      reason: t.reason.slice(0, 512),
      priority: t.priority ?? 0,
      assignee: null,
      status: 'open',
      dueAt: new Date(now.getTime() + sla * 60_000),
      outcome: null,
      dedupeKey: t.dedupeKey ?? null,
      history: [{ at: now.toISOString(), by: t.by ?? 'system', event: 'opened', note: t.reason.slice(0, 200) }],
      createdAt: now,
      updatedAt: now,
    });
    try {
      return { task: await repo.save(task), created: true };
    } catch (err) {
      if (!t.dedupeKey || !isUniqueViolation(err)) throw err;
      return { task: await repo.findOneByOrFail({ dedupeKey: t.dedupeKey }), created: false };
    }
  }

  async list(filter: { shopId?: number; type?: string; status?: string } = {}): Promise<TaskEntity[]> {
    return this.repo.find({ where: { ...filter } as never, order: { id: 'ASC' } });
  }
}
