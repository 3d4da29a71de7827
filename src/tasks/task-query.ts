import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository, type SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import type { ListTasksQuery } from './dto/task.dto.js';
import { UNFINISHED } from './task-transitions.js';
import { TaskEntity } from './task.entity.js';

export interface TaskPage {
  items: TaskEntity[];
  total: number;
  page: number;
  pageSize: number;
}

const DEFAULT_PAGE_SIZE = 50;

/**
 * Finds tasks for a person. Leads and operators see every role's tasks; others see tasks of their own
 * roles and tasks given to them. Shop-scoped people see only their shops.
 */
@Injectable()
export class TaskQuery {
  constructor(
    @InjectRepository(TaskEntity) private readonly repo: Repository<TaskEntity>,
    private readonly clock: Clock,
  ) {}

  async list(me: AuthUser, f: ListTasksQuery): Promise<TaskPage> {
    const page = f.page ?? 1;
    const pageSize = f.pageSize ?? DEFAULT_PAGE_SIZE;
    const qb = this.visibleTo(me, this.repo.createQueryBuilder('t'));
    if (f.shopId !== undefined) qb.andWhere('t.shop_id = :shopId', { shopId: f.shopId });
    if (f.orderId !== undefined) qb.andWhere('t.order_id = :orderId', { orderId: f.orderId });
    if (f.type !== undefined) qb.andWhere('t.type = :type', { type: f.type });
    if (f.status !== undefined) qb.andWhere('t.status = :status', { status: f.status });
    if (f.role !== undefined) qb.andWhere('t.role = :role', { role: f.role });
    if (f.assignee === 'none') qb.andWhere('t.assignee IS NULL');
    else if (f.assignee !== undefined) qb.andWhere('t.assignee = :assignee', { assignee: f.assignee === 'me' ? String(me.id) : f.assignee });
    if (f.overdue === true) qb.andWhere('t.status IN (:...unfinished) AND t.due_at < :now', { unfinished: UNFINISHED, now: this.clock.now() });
    if (f.overdue === false) qb.andWhere(new Brackets((w) => w.where('t.status NOT IN (:...unfinished)', { unfinished: UNFINISHED }).orWhere('t.due_at >= :now', { now: this.clock.now() })));
    const [items, total] = await qb
      .orderBy('t.priority', 'DESC')
      .addOrderBy('t.dueAt', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items, total, page, pageSize };
  }

  /** One task, if this person may see it (404 when it does not exist, 403 when it is not theirs to see). */
  async get(me: AuthUser, id: number): Promise<TaskEntity> {
    const task = await this.repo.findOneBy({ id });
    if (!task) throw new NotFoundException(`task ${id} not found`);
    me.assertShop(task.shopId);
    if (!this.seesRole(me) && !me.has(task.role) && task.assignee !== String(me.id)) {
      throw new ForbiddenException(`task ${id} is for ${task.role}; your roles are ${me.roles.join(', ')}`);
    }
    return task;
  }

  private seesRole(me: AuthUser): boolean {
    return me.has('lead', 'operator');
  }

  private visibleTo(me: AuthUser, qb: SelectQueryBuilder<TaskEntity>): SelectQueryBuilder<TaskEntity> {
    const shops = me.shopFilter;
    if (shops) qb.andWhere(shops.length ? 't.shop_id IN (:...shops)' : '1 = 0', { shops });
    if (!this.seesRole(me)) {
      qb.andWhere(new Brackets((w) => w.where('t.role IN (:...myRoles)', { myRoles: [...me.roles] }).orWhere('t.assignee = :me', { me: String(me.id) })));
    }
    return qb;
  }
}
