import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ActionExecutors } from '../actions/action-executors.js';
import type { ActionEntity } from '../actions/action.entity.js';
import { ACTION_TYPES, type FlagSetPayload, type RemarkWritePayload } from '../actions/action-types.js';
import { Clock } from '../common/clock.js';
import { isUniqueViolation } from '../common/errors.js';
import type { FlagColour } from '../config/config.schema.js';
import { PermanentJobError } from '../jobs/job-queue.js';
import { OrderEntity } from '../orders/order.entity.js';
import { ErpStage } from '../platforms/ports/erp.types.js';
import type { MarketplacePort } from '../platforms/ports/marketplace.port.js';
import { ShopAdapters } from '../shops/shop-adapters.js';
import type { ShopSettings } from '../shops/shop-settings.js';
import { ShopSettingsService } from '../shops/shop-settings.service.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { TasksService } from '../tasks/tasks.service.js';
import { composeMemo, memoHasLine, measure } from './remark-composer.js';
import { memoLineHash } from './remark-parser.js';
import { RemarkFormatter } from './remark-formatter.js';
import { RemarkRequestsService } from './remark-requests.service.js';
import { RemarkEntity } from './remark.entity.js';

type Outcome = Record<string, unknown>;

/** Jushuitan refuses a remark text over 500 characters (docId 196 / 944). */
const ERP_REMARK_MAX_CHARS = 500;
/** Reads of a memo that changes under us before the write is given up (the action retries later). */
const MEMO_TRIES = 3;
/** ERP stages in which a remark may still be written straight into the ERP order (rules.md §2). */
const ERP_WRITABLE = new Set<ErpStage>([ErpStage.WAIT_PAY, ErpStage.WAIT_AUDIT, ErpStage.QUESTION]);

/** A memo that changed between our read and our write: the write is retried from the newer memo. */
export class MemoMovedError extends Error {}

function remarkPayload(action: ActionEntity): RemarkWritePayload {
  const p = action.payload as Partial<RemarkWritePayload>;
  if (!action.orderId || !action.shopId) throw new PermanentJobError('remark.write needs an order');
  if (p.target !== 'marketplace' && p.target !== 'erp') throw new PermanentJobError('remark.write needs a target: marketplace or erp');
  if (typeof p.agentId !== 'string' || !p.agentId || typeof p.date !== 'string') throw new PermanentJobError('remark.write needs an agent id and a date');
  if (!p.fields && p.requestId === undefined) throw new PermanentJobError('remark.write carries no remark fields and no remark request');
  return p as RemarkWritePayload;
}

/**
 * Executes `remark.write` and `flag.set` (rules.md §2): one standard line added to the marketplace
 * memo or the ERP remark, as each platform's semantics require.
 *
 * - Taobao and Pinduoduo overwrite the memo: the memo is read, merged (idempotent; our own oldest
 *   lines compacted first when the limit is reached, human text never cut) and read again just
 *   before the write. If a person changed it in between, the merge starts over from their text.
 * - Kuaishou only appends notes: the line is added unless already there.
 * - Jushuitan: appended to the ERP remark while the order awaits audit; once audited, nothing is
 *   written and the day's auditor gets a task with 订单编号 and 备注信息.
 * - A line that cannot fit without cutting human text fails loudly and becomes an agent task.
 *
 * Every step is safe to run again: a line already present counts as written.
 */
@Injectable()
export class RemarkWriter implements OnModuleInit {
  constructor(
    private readonly executors: ActionExecutors,
    private readonly adapters: ShopAdapters,
    private readonly tasks: TasksService,
    private readonly settings: ShopSettingsService,
    private readonly requests: RemarkRequestsService,
    private readonly clock: Clock,
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    @InjectRepository(ShopEntity) private readonly shops: Repository<ShopEntity>,
    @InjectRepository(RemarkEntity) private readonly remarks: Repository<RemarkEntity>,
  ) {}

  onModuleInit(): void {
    this.executors.register(ACTION_TYPES.remarkWrite, (a) => this.write(a));
    this.executors.register(ACTION_TYPES.flagSet, (a) => this.flag(a));
  }

  async write(action: ActionEntity): Promise<Outcome> {
    const p = remarkPayload(action);
    const { order, shop, settings } = await this.load(action);
    const fields = p.fields ?? (await this.requests.fieldsOf(p.requestId!))?.fields;
    if (!fields) throw new PermanentJobError(`remark request ${p.requestId} not found`);
    const line = new RemarkFormatter(settings.remarks.templates, settings.remarks.separator).lineOn(fields, p.agentId, p.date);
    // A new address is buyer data in plain text: our own records name the line by its hash only.
    const recorded = fields.kind === 'address_change' ? `修改地址为:(已加密) #${memoLineHash(line)}` : line;
    const remark = await this.record(action, order, p.target, fields.kind, recorded);
    const outcome = p.target === 'marketplace' ? await this.toMemo(action, order, line, recorded, p.flag ?? settings.remarks.flags[fields.kind]) : await this.toErp(action, order, shop, line);
    await this.remarks.update({ id: remark.id }, { status: outcome.status, writtenAt: outcome.status === 'written' ? this.clock.now() : null });
    if (outcome.status === 'failed') throw new PermanentJobError(String(outcome.reason));
    // The outcome is kept on the action row: an address line is named by its remark, never copied there.
    return { ...outcome, remarkId: remark.id, ...(fields.kind === 'address_change' ? {} : { line }) };
  }

  async flag(action: ActionEntity): Promise<Outcome> {
    const p = action.payload as Partial<FlagSetPayload>;
    if (!p.flag) throw new PermanentJobError('flag.set needs a flag colour');
    const { order } = await this.load(action);
    const port = await this.adapters.marketplace(order.shopId);
    const live = await port.getOrder(order.platformOrderId);
    if (live.flag === p.flag) return { status: 'present', flag: p.flag };
    // Taobao and Pinduoduo write memo and flag together: the memo goes back as it is. Kuaishou adds an
    // empty note carrying the flag.
    const text = port.capabilities.remarkMode === 'replace' ? (live.sellerMemo ?? '') : '';
    if (port.capabilities.remarkMode === 'replace') await this.unchangedSince(port, order.platformOrderId, live.sellerMemo);
    await port.writeRemark({ orderId: order.platformOrderId, text, flag: p.flag });
    return { status: 'written', flag: p.flag };
  }

  private async toMemo(action: ActionEntity, order: OrderEntity, line: string, shown: string, flag: FlagColour | undefined): Promise<Outcome & { status: string }> {
    const port = await this.adapters.marketplace(order.shopId);
    const { remarkMode: mode, memoLimit: limit } = port.capabilities;
    const ownLines = (await this.remarks.find({ where: { orderId: order.id, target: 'marketplace', status: 'written' }, select: { line: true } })).map((r) => r.line);
    for (let attempt = 1; ; attempt++) {
      const current = (await port.getOrder(order.platformOrderId)).sellerMemo;
      const composed = composeMemo({ current, line, mode, limit, ownLines });
      if (composed.outcome === 'unchanged') return { status: 'written', present: true };
      if (composed.outcome === 'too_long') return this.tooLong(action, order, shown, `the memo would need ${composed.needed} of ${composed.limit.max} ${composed.limit.unit} without cutting text people wrote`);
      try {
        if (mode === 'replace') await this.unchangedSince(port, order.platformOrderId, current);
        await port.writeRemark({ orderId: order.platformOrderId, text: composed.text, ...(flag && flag !== 'none' ? { flag } : {}) });
        return { status: 'written', mode, compacted: composed.dropped };
      } catch (err) {
        if (!(err instanceof MemoMovedError) || attempt >= MEMO_TRIES) throw err;
      }
    }
  }

  /** The memo as read a moment ago is still the platform's: no person wrote to it in between. */
  private async unchangedSince(port: MarketplacePort, platformOrderId: string, read: string | null): Promise<void> {
    const now = (await port.getOrder(platformOrderId)).sellerMemo;
    if ((now ?? '') !== (read ?? '')) throw new MemoMovedError('the memo changed while the remark was being merged');
  }

  private async toErp(action: ActionEntity, order: OrderEntity, shop: ShopEntity, line: string): Promise<Outcome & { status: string }> {
    if (!shop.erpShopId) throw new PermanentJobError(`shop ${shop.id} names no Jushuitan shop for its ERP remarks`);
    const erp = await this.adapters.erp(order.shopId);
    const copy = await erp.getOrderByOnlineId(shop.erpShopId, order.platformOrderId);
    // The ERP imports orders on its own schedule: retried (with back-off) until the copy is there.
    if (!copy) throw new Error(`the ERP has no copy of order ${order.platformOrderId} yet`);
    if (memoHasLine(copy.remark, line)) return { status: 'written', present: true };
    if (!ERP_WRITABLE.has(copy.stage)) {
      const { task } = await this.tasks.open({
        shopId: order.shopId,
        orderId: order.id,
        type: 'auditor_remark',
        role: 'auditor',
        reason: `订单编号:${order.platformOrderId} 备注信息:${line}`,
        dedupeKey: `auditor-remark:${action.idempotencyKey}`,
        by: 'remark.write',
      });
      return { status: 'superseded', erpStage: copy.stage, taskId: task.id };
    }
    if (measure(line, 'chars') > ERP_REMARK_MAX_CHARS) return this.tooLong(action, order, line, `the ERP remark takes at most ${ERP_REMARK_MAX_CHARS} characters`);
    await erp.writeRemark({ target: { erpOrderId: copy.erpOrderId }, remark: line, append: true });
    return { status: 'written', erpOrderId: copy.erpOrderId };
  }

  private async tooLong(action: ActionEntity, order: OrderEntity, line: string, why: string): Promise<Outcome & { status: string }> {
    const { task } = await this.tasks.open({
      shopId: order.shopId,
      orderId: order.id,
      type: 'remark_fix',
      role: 'in_sale',
      reason: `备注写不下: ${why}. 请手动整理备注后补写: ${line}`,
      dedupeKey: `remark-too-long:${action.idempotencyKey}`,
      by: 'remark.write',
    });
    return { status: 'failed', reason: `remark does not fit: ${why} (task ${task.id})`, taskId: task.id };
  }

  private async load(action: ActionEntity): Promise<{ order: OrderEntity; shop: ShopEntity; settings: ShopSettings }> {
    const order = action.orderId ? await this.orders.findOneBy({ id: action.orderId }) : null;
    if (!order) throw new PermanentJobError(`${action.type} ${action.id}: order ${action.orderId ?? '(none)'} not found`);
    const shop = await this.shops.findOneByOrFail({ id: order.shopId });
    return { order, shop, settings: this.settings.effectiveOf(shop) };
  }

  /** The line as kefu-bridge means to write it; found again by the action's key on a re-run. */
  private async record(action: ActionEntity, order: OrderEntity, target: string, kind: string, line: string): Promise<RemarkEntity> {
    const existing = await this.remarks.findOneBy({ idempotencyKey: action.idempotencyKey });
    if (existing) return existing;
    try {
      return await this.remarks.save(
        this.remarks.create({ orderId: order.id, shopId: order.shopId, target, kind, line, idempotencyKey: action.idempotencyKey, actionId: action.id, status: 'pending', writtenAt: null, createdAt: this.clock.now() }),
      );
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return this.remarks.findOneByOrFail({ idempotencyKey: action.idempotencyKey });
    }
  }
}
