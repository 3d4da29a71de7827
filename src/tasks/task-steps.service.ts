import { BadRequestException, ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { UsersService } from '../auth/users.service.js';
import { yuanText } from '../common/money.js';
import { ShopSettingsService } from '../shops/shop-settings.service.js';
import { TaskAssigner } from './task-assigner.js';
import { TaskWriter, type Actor, type TaskChange } from './task-writer.js';
import type { TaskEntity } from './task.entity.js';

const actor = (me: AuthUser): Actor => ({ label: me.label, userId: me.id });

/** How much one more contact from the buyer raises a task (rules.md §6, 二次进线催促). */
const CONTACT_PRIORITY_STEP = 1;

/**
 * What people do with tasks: claim, complete with an outcome, escalate to a lead, reassign, note a
 * buyer's repeated contact, record a compensation, cancel. Each step checks who may take it; the writer checks when.
 */
@Injectable()
export class TaskSteps {
  constructor(
    private readonly writer: TaskWriter,
    private readonly assigner: TaskAssigner,
    private readonly users: UsersService,
    private readonly ds: DataSource,
    private readonly settings: ShopSettingsService,
  ) {}

  claim(id: number, me: AuthUser): Promise<TaskEntity> {
    return this.writer.apply(id, 'claim', actor(me), (task) => {
      this.mayWork(task, me);
      if (task.status === 'escalated' && !me.has('lead')) throw new ForbiddenException(`task ${id} is escalated: only a lead may claim it`);
      if (task.assignee !== null && task.assignee !== String(me.id) && !me.has('lead')) {
        throw new ConflictException(`task ${id} is assigned to someone else; a lead can reassign it`);
      }
      return { status: 'claimed', assignee: String(me.id) };
    });
  }

  complete(id: number, me: AuthUser, outcome: string): Promise<TaskEntity> {
    return this.writer.apply(id, 'complete', actor(me), (task) => {
      this.mayWork(task, me);
      if (task.assignee !== String(me.id) && !me.has('lead')) throw new ForbiddenException(`task ${id} is claimed by someone else`);
      return { status: 'done', outcome, note: outcome };
    });
  }

  /** Hands the task to a lead: the next lead on duty for the shop, or the leads' pool. */
  async escalate(id: number, me: AuthUser, reason: string): Promise<TaskEntity> {
    return this.ds.transaction((m) =>
      this.writer.apply(
        id,
        'escalate',
        actor(me),
        async (task) => {
          this.mayWork(task, me);
          return { ...(await this.toLead(m, task)), note: reason };
        },
        m,
      ),
    );
  }

  /** Leads and operators give a task to someone who holds its role (a lead, once escalated) on its shop. */
  async reassign(id: number, me: AuthUser, userId: number): Promise<TaskEntity> {
    const target = await this.users.get(userId).catch(() => null);
    return this.writer.apply(id, 'reassign', actor(me), (task) => {
      me.assertShop(task.shopId);
      const role = task.status === 'escalated' ? 'lead' : task.role;
      if (!target || target.disabled) throw new BadRequestException(`userId ${userId} is not an enabled user`);
      if (!target.roles.includes(role)) throw new BadRequestException(`userId ${userId} does not hold the role ${role} this task needs`);
      if (target.shopIds !== null && !target.shopIds.includes(task.shopId)) throw new BadRequestException(`userId ${userId} does not work on shop ${task.shopId}`);
      // A reassigned task waits for its new holder to claim it; an escalated one stays with the leads.
      return { status: task.status === 'escalated' ? 'escalated' : 'open', assignee: String(target.id), note: target.agentId ?? target.name };
    });
  }

  /** The buyer got in touch again about the same thing: the task moves up (rules.md §6). */
  contact(id: number, me: AuthUser, note?: string): Promise<TaskEntity> {
    return this.writer.apply(id, 'contact', actor(me), (task) => {
      this.mayWork(task, me);
      return { priority: task.priority + CONTACT_PRIORITY_STEP, note: note ?? 'buyer contacted again' };
    });
  }

  /**
   * A compensation for the buyer (rules.md §6): an agent grants up to the shop's authority (¥10 unless
   * the shop says otherwise) and it is recorded on the task; above that the task goes to a lead, who
   * grants any amount.
   */
  async compensate(id: number, me: AuthUser, amountFen: number, note?: string): Promise<TaskEntity> {
    return this.ds.transaction((m) =>
      this.writer.apply(
        id,
        'compensate',
        actor(me),
        async (task) => {
          this.mayWork(task, me);
          if (task.status === 'escalated' && !me.has('lead')) throw new ForbiddenException(`task ${id} is escalated: only a lead may grant a compensation on it`);
          const what = `补偿¥${yuanText(amountFen)}${note ? `(${note})` : ''}`;
          const limit = (await this.settings.effective(task.shopId, m)).tasks.compensationAuthorityFen;
          if (amountFen <= limit || me.has('lead')) return { note: `${what},已发放`, compensation: { amountFen, granted: true } };
          return { ...(await this.toLead(m, task)), note: `${what}超出客服权限¥${yuanText(limit)},升级主管`, compensation: { amountFen, granted: false } };
        },
        m,
      ),
    );
  }

  cancel(id: number, me: AuthUser, reason: string): Promise<TaskEntity> {
    return this.writer.apply(id, 'cancel', actor(me), (task) => {
      me.assertShop(task.shopId);
      return { status: 'cancelled', outcome: reason.slice(0, 255), note: reason };
    });
  }

  /** The task goes to the next lead on duty for its shop (or the leads' pool), one step higher. */
  private async toLead(m: EntityManager, task: TaskEntity): Promise<TaskChange> {
    const lead = await this.assigner.next(m, task.shopId, 'lead');
    return { status: 'escalated', assignee: lead ? String(lead.id) : null, priority: task.priority + 1 };
  }


  /** People work tasks of their own roles on their own shops; leads work any. */
  private mayWork(task: TaskEntity, me: AuthUser): void {
    me.assertShop(task.shopId);
    if (!me.has(task.role, 'lead')) throw new ForbiddenException(`task ${task.id} is for ${task.role}; your roles are ${me.roles.join(', ')}`);
  }
}
