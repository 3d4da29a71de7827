import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { PiiMask } from '../auth/pii-mask.js';
import { UserEntity } from '../auth/user.entity.js';
import { Clock } from '../common/clock.js';
import { OrderEntity } from '../orders/order.entity.js';
import { UNFINISHED } from './task-transitions.js';
import type { TaskEntity, TaskHistoryEntry, TaskRole, TaskStatus } from './task.entity.js';

export interface TaskView {
  id: number;
  shopId: number;
  orderId: number | null;
  type: string;
  role: TaskRole;
  reason: string;
  priority: number;
  status: TaskStatus;
  assignee: { id: number; name: string; agentId: string | null } | null;
  dueAt: string;
  overdue: boolean;
  outcome: string | null;
  history: TaskHistoryEntry[];
  /** The order the task is about, with the receiver masked for roles that do not need it. */
  order: { platform: string; platformOrderId: string; status: string; receiver: Record<string, unknown> | null } | null;
  createdAt: string;
  updatedAt: string;
}

/** Builds what callers see of tasks: who holds them, their order, and buyer data masked for the caller. */
@Injectable()
export class TaskViews {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    private readonly clock: Clock,
  ) {}

  async build(tasks: TaskEntity[], me: AuthUser): Promise<TaskView[]> {
    const userIds = [...new Set(tasks.map((t) => Number(t.assignee)).filter((n) => Number.isInteger(n) && n > 0))];
    const orderIds = [...new Set(tasks.map((t) => t.orderId).filter((n): n is number => n !== null))];
    const [users, orders] = await Promise.all([
      userIds.length ? this.users.findBy({ id: In(userIds) }) : [],
      orderIds.length ? this.orders.findBy({ id: In(orderIds) }) : [],
    ]);
    const userById = new Map(users.map((u) => [String(u.id), u]));
    const orderById = new Map(orders.map((o) => [o.id, o]));
    const mask = PiiMask.for(me);
    const now = this.clock.nowMs();
    return tasks.map((t) => {
      const u = t.assignee ? userById.get(t.assignee) : undefined;
      const o = t.orderId !== null ? orderById.get(t.orderId) : undefined;
      return {
        id: t.id,
        shopId: t.shopId,
        orderId: t.orderId,
        type: t.type,
        role: t.role,
        reason: t.reason,
        priority: t.priority,
        status: t.status,
        assignee: u ? { id: u.id, name: u.name, agentId: u.agentId } : null,
        dueAt: t.dueAt.toISOString(),
        overdue: UNFINISHED.includes(t.status) && t.dueAt.getTime() < now,
        outcome: t.outcome,
        history: t.history,
        order: o ? { platform: o.platform, platformOrderId: o.platformOrderId, status: o.status, receiver: mask.receiver(o.receiver) } : null,
        createdAt: t.createdAt.toISOString(),
        updatedAt: t.updatedAt.toISOString(),
      };
    });
  }
}
