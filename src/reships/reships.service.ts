import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { ActionsService } from '../actions/actions.service.js';
import { Clock } from '../common/clock.js';
import { isUniqueViolation } from '../common/errors.js';
import { AppConfig } from '../config/config.schema.js';
import { OrderEntity } from '../orders/order.entity.js';
import { TasksService } from '../tasks/tasks.service.js';
import type { CreateReshipDto } from './dto/create-reship.dto.js';
import { RESHIP_FILE_ACTION, type FileReshipPayload } from './reship.actions.js';
import { ReshipEntity, type ReshipLineItem } from './reship.entity.js';

export interface ReshipRequest {
  orderId: number;
  lines: ReshipLineItem[];
  reason: string;
  responsibleParty: string;
  note?: string | null;
  by: string;
}

const isDeadlock = (err: unknown): boolean => (err as { driverError?: { code?: string } }).driverError?.code === 'ER_LOCK_DEADLOCK';

const field = (name: string, message: string) => new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`${name} ${message}`] });

/**
 * Replacement shipments (补发, rules.md §5). An agent's reship is filed at once; a rule's is proposed
 * and waits for an agent to confirm it. At most one per order and reason: asking again returns the first.
 */
@Injectable()
export class ReshipsService {
  constructor(
    private readonly ds: DataSource,
    private readonly actions: ActionsService,
    private readonly tasks: TasksService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** An agent files a reship: stored and its ERP filing staged in one transaction. */
  async request(dto: CreateReshipDto, user: AuthUser): Promise<{ reship: ReshipEntity; created: boolean }> {
    this.check(dto.reason, dto.responsibleParty);
    const shopId = (await this.ds.getRepository(OrderEntity).findOne({ where: { id: dto.orderId }, select: { id: true, shopId: true } }))?.shopId;
    if (shopId === undefined) throw field('orderId', `${dto.orderId} is not a known order`);
    user.assertShop(shopId);
    const by = user.label;
    const req: ReshipRequest = { orderId: dto.orderId, lines: dto.lines.map((l) => ({ skuId: l.skuId, qty: l.qty, ...(l.name ? { name: l.name } : {}) })), reason: dto.reason, responsibleParty: dto.responsibleParty, note: dto.note, by };
    const out = await this.once(req, () =>
      this.ds.transaction(async (tx) => {
        const res = await this.insert(tx, req, 'confirmed', 'agent');
        if (res.created) await this.stageFiling(tx, res.reship);
        return res;
      }),
    );
    if (out.created) await this.enqueueFiling(out.reship);
    return out;
  }

  /** A rule proposes a reship (escalation of a stall): an after-sale agent is asked to confirm it. */
  async propose(req: ReshipRequest): Promise<{ reship: ReshipEntity; created: boolean }> {
    return this.once(req, () => this.ds.transaction(async (m) => {
      const res = await this.insert(m, req, 'proposed', 'rule');
      if (res.created) {
        await this.tasks.open(
          {
            shopId: res.reship.shopId,
            orderId: res.reship.orderId,
            type: 'reship_confirm',
            role: 'after_sale',
            reason: `系统建议补发(${req.reason}),请确认: POST /api/reships/${res.reship.id}/confirm`,
            dedupeKey: `reship-confirm:${res.reship.id}`,
          },
          m,
        );
      }
      return res;
    }));
  }

  /**
   * Two requests for the same order and reason racing: the loser's insert hits the unique key (or, on
   * MySQL, a deadlock on it) and its transaction rolls back; it answers with the winner's reship.
   */
  private async once(req: ReshipRequest, create: (m: EntityManager) => Promise<{ reship: ReshipEntity; created: boolean }>): Promise<{ reship: ReshipEntity; created: boolean }> {
    try {
      return await create(this.ds.manager);
    } catch (err) {
      if (!isUniqueViolation(err) && !isDeadlock(err)) throw err;
      const first = await this.ds.getRepository(ReshipEntity).findOneBy({ orderId: req.orderId, reason: req.reason });
      if (!first) throw err;
      return { reship: first, created: false };
    }
  }

  /** An agent confirms a proposed reship; confirming again is harmless. */
  async confirm(id: number, by: string): Promise<ReshipEntity> {
    const reship = await this.ds.transaction(async (m) => {
      const row = await m.findOne(ReshipEntity, { where: { id }, lock: m.connection.options.type === 'mysql' ? { mode: 'pessimistic_write' } : undefined });
      if (!row) throw new NotFoundException(`reship ${id} not found`);
      if (row.status === 'failed') throw new ConflictException(`reship ${id} failed in the ERP: ${row.lastError ?? ''}`.trim());
      if (row.status !== 'proposed') return row;
      const now = this.clock.now();
      await m.update(ReshipEntity, { id, status: 'proposed' }, { status: 'confirmed', confirmedBy: by, confirmedAt: now, updatedAt: now });
      const confirmed = { ...row, status: 'confirmed' as const, confirmedBy: by, confirmedAt: now };
      await this.stageFiling(m, confirmed);
      return confirmed;
    });
    await this.enqueueFiling(reship);
    return reship;
  }

  async get(id: number): Promise<ReshipEntity> {
    const row = await this.ds.getRepository(ReshipEntity).findOneBy({ id });
    if (!row) throw new NotFoundException(`reship ${id} not found`);
    return row;
  }

  /** `shops`: restricts to these shops (a shop-scoped caller); all shops when undefined. */
  list(filter: { shopId?: number; orderId?: number; status?: string }, shops?: number[]): Promise<ReshipEntity[]> {
    const where: Record<string, unknown> = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    if (shops && where.shopId === undefined) where.shopId = In(shops);
    return this.ds.getRepository(ReshipEntity).find({ where, order: { id: 'DESC' }, take: 500 });
  }

  private check(reason: string, party: string): void {
    if (!this.config.reship.reasons.includes(reason)) throw field('reason', `must be one of ${this.config.reship.reasons.join(', ')}`);
    if (!this.config.reship.responsibleParties.includes(party)) throw field('responsibleParty', `must be one of ${this.config.reship.responsibleParties.join(', ')}`);
  }

  private async insert(m: EntityManager, req: ReshipRequest, status: 'confirmed' | 'proposed', source: 'agent' | 'rule'): Promise<{ reship: ReshipEntity; created: boolean }> {
    const order = await m.findOne(OrderEntity, { where: { id: req.orderId }, select: { id: true, shopId: true } });
    if (!order) throw field('orderId', `${req.orderId} is not a known order`);
    const repo = m.getRepository(ReshipEntity);
    const existing = await repo.findOneBy({ orderId: req.orderId, reason: req.reason });
    if (existing) return { reship: existing, created: false };
    const now = this.clock.now();
    const row = repo.create({
      shopId: order.shopId,
      orderId: order.id,
      reason: req.reason,
      responsibleParty: req.responsibleParty,
      lines: req.lines,
      status,
      source,
      requestedBy: req.by.slice(0, 64),
      confirmedBy: status === 'confirmed' ? req.by.slice(0, 64) : null,
      note: req.note?.slice(0, 255) ?? null,
      erpAfterSaleId: null,
      carrierCode: null,
      carrierName: null,
      trackingNo: null,
      lastError: null,
      trackDueAt: null,
      confirmedAt: status === 'confirmed' ? now : null,
      filedAt: null,
      shippedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    return { reship: await repo.save(row), created: true };
  }

  private async stageFiling(m: EntityManager, reship: ReshipEntity): Promise<void> {
    const payload: FileReshipPayload = { reshipId: reship.id };
    await this.actions.stage(m, { type: RESHIP_FILE_ACTION, idempotencyKey: `reship:${reship.id}:file`, shopId: reship.shopId, orderId: reship.orderId, payload: { ...payload } });
  }

  private async enqueueFiling(reship: ReshipEntity): Promise<void> {
    const action = await this.actions.find(`reship:${reship.id}:file`);
    if (action?.status === 'pending') await this.actions.enqueue(action.id);
  }
}
