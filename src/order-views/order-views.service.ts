import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, type FindOptionsWhere, type Repository } from 'typeorm';
import { ActionEntity } from '../actions/action.entity.js';
import type { AuthUser } from '../auth/auth-user.js';
import { PiiMask } from '../auth/pii-mask.js';
import { OrderEntity } from '../orders/order.entity.js';
import { ShipmentEntity } from '../orders/shipment.entity.js';
import { parseRemarkLine } from '../remarks/remark-parser.js';
import { RuleEvaluationEntity } from '../rules/rule-evaluation.entity.js';
import { RulesService } from '../rules/rules.service.js';
import { TaskEntity } from '../tasks/task.entity.js';
import type { ListOrdersQuery } from './dto/list-orders.query.js';

const DEFAULT_PAGE_SIZE = 50;

export interface RuleTraceView {
  rule: string;
  /** False until the rule first looked at this order. */
  evaluated: boolean;
  fired?: boolean;
  reason?: string;
  decisions?: unknown[];
  dryRun?: boolean;
  error?: string | null;
  orderVersion?: number;
  evaluatedAt?: Date;
  nextCheckAt?: Date | null;
}

/** One order as people see it: its parts, what the rules decided and why, and what is under way. */
@Injectable()
export class OrderViewsService {
  constructor(
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    @InjectRepository(ShipmentEntity) private readonly shipments: Repository<ShipmentEntity>,
    @InjectRepository(RuleEvaluationEntity) private readonly evaluations: Repository<RuleEvaluationEntity>,
    @InjectRepository(TaskEntity) private readonly tasks: Repository<TaskEntity>,
    @InjectRepository(ActionEntity) private readonly actions: Repository<ActionEntity>,
    private readonly rules: RulesService,
  ) {}

  /** A page of orders this person may see, the newest first (by the primary key: no sort over a big shop). */
  async list(me: AuthUser, q: ListOrdersQuery) {
    if (q.shopId !== undefined) me.assertShop(q.shopId);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
    const where: FindOptionsWhere<OrderEntity> = {};
    if (q.shopId !== undefined) where.shopId = q.shopId;
    else if (me.shopFilter) where.shopId = In(me.shopFilter);
    if (q.platformOrderId !== undefined) where.platformOrderId = q.platformOrderId;
    if (q.status !== undefined) where.status = q.status;
    const [rows, total] = await this.orders.findAndCount({
      where,
      order: { id: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    const mask = PiiMask.for(me);
    const items = rows.map((o) => ({
      id: o.id,
      shopId: o.shopId,
      platform: o.platform,
      platformOrderId: o.platformOrderId,
      status: o.status,
      paymentFen: o.paymentFen,
      province: o.province,
      sellerMemo: maskedMemo(o.sellerMemo, mask),
      sellerFlag: o.sellerFlag,
      refunding: o.refunding,
      erpStage: o.erpStage,
      platformModifiedAt: o.platformModifiedAt,
    }));
    return { items, total, page, pageSize };
  }

  async order(me: AuthUser, id: number) {
    const o = await this.visible(me, id);
    const mask = PiiMask.for(me);
    const [shipments, trace, tasks, actions] = await Promise.all([
      this.shipments.find({ where: { orderId: id }, order: { id: 'ASC' } }),
      this.trace(me, id),
      this.tasks.find({ where: { orderId: id, status: Not(In(['done', 'cancelled'])) }, order: { id: 'ASC' } }),
      this.actions.find({ where: { orderId: id }, order: { id: 'ASC' }, select: { id: true, type: true, status: true, attempts: true, lastError: true, createdAt: true, doneAt: true } }),
    ]);
    return {
      id: o.id,
      shopId: o.shopId,
      platform: o.platform,
      platformOrderId: o.platformOrderId,
      status: o.status,
      platformStatus: o.platformStatus,
      totalFen: o.totalFen,
      postFeeFen: o.postFeeFen,
      paymentFen: o.paymentFen,
      lines: o.lineItems,
      receiver: mask.receiver(o.receiver),
      province: o.province,
      sellerMemo: maskedMemo(o.sellerMemo, mask),
      sellerFlag: o.sellerFlag,
      refunding: o.refunding,
      erp: { orderId: o.erpOrderId, status: o.erpStatus, stage: o.erpStage },
      shipments: shipments.map((s) => ({ id: s.id, carrierCode: s.carrierCode, trackingNo: s.trackingNo, state: s.state, zone: s.zone, consignedAt: s.consignedAt, lastEventAt: s.lastEventAt, lastEventDesc: s.lastEventDesc, stallFlag: s.stallFlag })),
      rules: trace,
      openTasks: tasks.map((t) => ({ id: t.id, type: t.type, role: t.role, status: t.status, dueAt: t.dueAt })),
      actions: actions.map((a) => ({ id: a.id, type: a.type, status: a.status, attempts: a.attempts, lastError: a.lastError, createdAt: a.createdAt, doneAt: a.doneAt })),
    };
  }

  /** Every rule the engine runs, with its latest evaluation of this order (or that it has none yet). */
  async trace(me: AuthUser, id: number): Promise<RuleTraceView[]> {
    await this.visible(me, id);
    const rows = new Map((await this.evaluations.findBy({ orderId: id })).map((r) => [r.rule, r]));
    return this.rules.ruleNames.map((rule) => {
      const r = rows.get(rule);
      if (!r) return { rule, evaluated: false };
      return { rule, evaluated: true, fired: r.fired, reason: r.reason, decisions: r.decisions, dryRun: r.dryRun, error: r.error, orderVersion: r.orderVersion, evaluatedAt: r.evaluatedAt, nextCheckAt: r.nextCheckAt };
    });
  }

  private async visible(me: AuthUser, id: number): Promise<OrderEntity> {
    const o = await this.orders.findOneBy({ id });
    if (!o || (me.shopIds && !me.shopIds.includes(o.shopId))) throw new NotFoundException(`order ${id} not found`);
    return o;
  }
}

/** An address line in the memo (people write them in plain text) is masked like any address. */
function maskedMemo(memo: string | null, mask: PiiMask): string | null {
  if (memo === null || mask.sees('address')) return memo;
  return memo
    .split('\n')
    .map((line) => {
      const p = parseRemarkLine(line);
      return p.status !== 'free' && p.kind === 'address_change' ? '修改地址为:****' : line;
    })
    .join('\n');
}
