import { ConflictException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type EntityManager, type Repository } from 'typeorm';
import { seeCommitted } from '../database/transactions.js';
import { UsersService } from '../auth/users.service.js';
import { Clock } from '../common/clock.js';
import { isUniqueViolation } from '../common/errors.js';
import { AppConfig } from '../config/config.schema.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { TaskAssigner } from './task-assigner.js';
import { ShopSettingsService } from '../shops/shop-settings.service.js';
import { slaMinutes } from './task-sla.js';
import { UNFINISHED } from './task-transitions.js';
import { TaskWriter, type Actor } from './task-writer.js';
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
  /** Minutes until due; defaults to the SLA of the task type (the shop's, else the configured one). */
  dueInMinutes?: number;
  /** Gives the task to this agent (a fix-it task for a remark's author) instead of the next in turn. */
  assignToAgentId?: string;
  by?: string;
}

/** Which tasks `resolve` closes: the one opened under a dedupe key, or an order's unfinished tasks of a type. */
export type ResolveTarget = string | { orderId: number; type: string };

/** Tasks for people: opened by rules and by the system when something needs a human. */
@Injectable()
export class TasksService {
  constructor(
    @InjectRepository(TaskEntity) private readonly repo: Repository<TaskEntity>,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly assigner: TaskAssigner,
    private readonly users: UsersService,
    private readonly writer: TaskWriter,
    private readonly settings: ShopSettingsService,
  ) {}

  /** Opens a task and assigns it in turn to someone on duty for its role and shop (or leaves it in the pool). */
  async open(t: OpenTask, manager?: EntityManager): Promise<{ task: TaskEntity; created: boolean }> {
    if (manager?.queryRunner?.isTransactionActive) return this.openIn(manager, t);
    return this.repo.manager.transaction((m) => this.openIn(m, t));
  }

  private async openIn(m: EntityManager, t: OpenTask): Promise<{ task: TaskEntity; created: boolean }> {
    const repo = m.getRepository(TaskEntity);
    await this.assigner.lockForWrite(m, t.shopId, t.role);
    if (t.dedupeKey) {
      const existing = await repo.findOneBy({ dedupeKey: t.dedupeKey });
      if (existing) return { task: existing, created: false };
    }
    const now = this.clock.now();
    const shop = await m.getRepository(ShopEntity).findOneBy({ id: t.shopId });
    const sla = t.dueInMinutes ?? slaMinutes(t.type, shop ? this.settings.effectiveOf(shop).tasks : this.config.tasks, this.config.tasks);
    const assignee = await this.pickAssignee(m, t);
    const by = t.by ?? 'system';
    const task = repo.create({
      shopId: t.shopId,
      orderId: t.orderId ?? null,
      type: t.type,
      role: t.role,
      reason: t.reason.slice(0, 512),
      priority: t.priority ?? 0,
      assignee: assignee ? String(assignee.id) : null,
      status: 'open',
      dueAt: new Date(now.getTime() + sla * 60_000),
      outcome: null,
      dedupeKey: t.dedupeKey ?? null,
      history: [
        { at: now.toISOString(), by, event: 'opened', note: t.reason.slice(0, 200) },
        ...(assignee ? [{ at: now.toISOString(), by, event: 'assigned', note: assignee.agentId ?? assignee.name, userId: assignee.id }] : []),
      ],
      version: 0,
      createdAt: now,
      updatedAt: now,
    });
    try {
      return { task: await repo.save(task), created: true };
    } catch (err) {
      if (!t.dedupeKey || !isUniqueViolation(err)) throw err;
      // Another evaluation opened it first: read that task in this transaction, as committed.
      return { task: await repo.findOneOrFail({ where: { dedupeKey: t.dedupeKey }, lock: seeCommitted(m) }), created: false };
    }
  }

  private async pickAssignee(m: EntityManager, t: OpenTask) {
    if (t.assignToAgentId) {
      const author = await this.users.findByAgentId(t.assignToAgentId, m);
      if (author && (author.shopIds === null || author.shopIds.includes(t.shopId))) return author;
    }
    return this.assigner.next(m, t.shopId, t.role);
  }

  async list(filter: { shopId?: number; type?: string; status?: string } = {}): Promise<TaskEntity[]> {
    return this.repo.find({ where: { ...filter } as never, order: { id: 'ASC' } });
  }

  /**
   * Closes unfinished tasks whose cause went away by itself (the order was paid, tracking moved):
   * status done with `outcome`, and a history entry. Returns the tasks it closed; none is not an error.
   */
  async resolve(target: ResolveTarget, outcome: string, by: Actor = { label: 'system' }, manager?: EntityManager): Promise<TaskEntity[]> {
    const repo = manager ? manager.getRepository(TaskEntity) : this.repo;
    const where = typeof target === 'string' ? { dedupeKey: target } : { orderId: target.orderId, type: target.type };
    const found = await repo.find({ where: { ...where, status: In([...UNFINISHED]) }, order: { id: 'ASC' } });
    const closed: TaskEntity[] = [];
    for (const task of found) {
      try {
        closed.push(await this.writer.apply(task.id, 'resolve', by, () => ({ status: 'done', outcome: outcome.slice(0, 255), note: outcome }), manager));
      } catch (err) {
        // Someone finished it in between: it is closed either way.
        if (!(err instanceof ConflictException)) throw err;
      }
    }
    return closed;
  }
}
