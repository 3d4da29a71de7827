import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, type EntityManager, type FindOptionsWhere, type Repository } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { PiiMask } from '../auth/pii-mask.js';
import { Clock } from '../common/clock.js';
import { isUniqueViolation } from '../common/errors.js';
import { OrderEntity } from '../orders/order.entity.js';
import { addressInMemo, memoLineOf, parseRemarkLine } from '../remarks/remark-parser.js';
import { RerouteEntity, type RerouteKind, type RerouteStatus } from './reroute.entity.js';

/** ERP stages after which the parcel has left: a reroute then means intercepting it with the courier. */
const SHIPPED_STAGES = new Set(['SENT', 'FINISHED', 'CANCELLED']);

export interface NewReroute {
  shopId: number;
  orderId: number;
  kind: RerouteKind;
  lineHash: string;
  courier: string | null;
  dedupeKey: string;
  requestedBy: string;
}

/** Lists a reroute inside the caller's transaction; the same remark line lists it once. */
export async function listReroute(m: EntityManager, r: NewReroute, now: Date): Promise<void> {
  const repo = m.getRepository(RerouteEntity);
  if (await repo.existsBy({ dedupeKey: r.dedupeKey })) return;
  try {
    await repo.insert({ ...r, status: 'open', createdAt: now, ackedAt: null, ackedBy: null });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
}

export interface RerouteView {
  id: number;
  shopId: number;
  orderId: number;
  platformOrderId: string;
  kind: RerouteKind;
  status: RerouteStatus;
  /** Another courier, for a courier reroute. */
  courier: string | null;
  /** The new address as the remark gives it, masked for roles that may not see it; null when the memo no longer carries the line. */
  address: { province: string; city: string; district: string; detail: string | null; name: string | null; phone: string | null } | null;
  /** The ship date asked for, for a hold. */
  shipDate: string | null;
  /** Where the ERP order stands (its audit stage), and whether the warehouse can still change it or must intercept the parcel. */
  erp: { stage: string | null; changeable: boolean };
  requestedBy: string;
  createdAt: Date;
  ackedAt: Date | null;
  ackedBy: string | null;
}

/** The warehouse's reroute list (rules.md §2: remarks asking for another address or courier). */
@Injectable()
export class ReroutesService {
  constructor(
    @InjectRepository(RerouteEntity) private readonly repo: Repository<RerouteEntity>,
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    private readonly clock: Clock,
  ) {}

  async list(me: AuthUser, q: { shopId?: number; status?: RerouteStatus; before?: number; limit: number }): Promise<RerouteView[]> {
    const where: FindOptionsWhere<RerouteEntity> = { status: q.status ?? 'open' };
    if (q.before) where.id = LessThan(q.before);
    if (q.shopId) {
      if (me.shopIds && !me.shopIds.includes(q.shopId)) return [];
      where.shopId = q.shopId;
    } else if (me.shopIds) where.shopId = In([...me.shopIds]);
    const rows = await this.repo.find({ where, order: { id: 'DESC' }, take: q.limit });
    return this.views(rows, me);
  }

  async ack(me: AuthUser, id: number): Promise<RerouteView> {
    const row = await this.repo.findOneBy({ id });
    if (!row || (me.shopIds && !me.shopIds.includes(row.shopId))) throw new NotFoundException(`reroute ${id} not found`);
    if (row.status === 'open') {
      await this.repo.update({ id, status: 'open' }, { status: 'acked', ackedAt: this.clock.now(), ackedBy: me.agentId ?? `user:${me.id}` });
    }
    return (await this.views([await this.repo.findOneByOrFail({ id })], me))[0];
  }

  private async views(rows: RerouteEntity[], me: AuthUser): Promise<RerouteView[]> {
    const orders = new Map((await this.orders.findBy({ id: In(rows.map((r) => r.orderId)) })).map((o) => [o.id, o]));
    const mask = PiiMask.for(me);
    return rows.map((r) => {
      const order = orders.get(r.orderId);
      return {
        id: r.id,
        shopId: r.shopId,
        orderId: r.orderId,
        platformOrderId: order?.platformOrderId ?? '',
        kind: r.kind,
        status: r.status,
        courier: r.courier,
        address: r.kind === 'address' ? addressOf(order?.sellerMemo, r.lineHash, mask) : null,
        shipDate: r.kind === 'ship_date' ? shipDateOf(order?.sellerMemo, r.lineHash) : null,
        erp: { stage: order?.erpStage ?? null, changeable: !order?.erpStage || !SHIPPED_STAGES.has(order.erpStage) },
        requestedBy: r.requestedBy,
        createdAt: r.createdAt,
        ackedAt: r.ackedAt,
        ackedBy: r.ackedBy,
      };
    });
  }
}

function addressOf(memo: string | null | undefined, hash: string, mask: PiiMask): RerouteView['address'] {
  const a = addressInMemo(memo, hash);
  if (!a) return null;
  return { province: a.province, city: a.city, district: a.district, detail: mask.text('address', a.detail), name: mask.text('name', a.name), phone: mask.text('phone', a.phone) };
}

function shipDateOf(memo: string | null | undefined, hash: string): string | null {
  const line = memoLineOf(memo, hash);
  const parsed = line ? parseRemarkLine(line) : null;
  return parsed?.status === 'standard' && parsed.fields.kind === 'ship_date' ? `${parsed.fields.month}月${parsed.fields.day}日` : null;
}
