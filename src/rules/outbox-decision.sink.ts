import type { EntityManager } from 'typeorm';
import { ACTION_TYPES, type ErpAddressUpdatePayload, type RemarkWritePayload } from '../actions/action-types.js';
import { ActionsService, type ActionRequest } from '../actions/actions.service.js';
import { shanghaiDate } from '../common/shanghai-time.js';
import { BUYER_MESSAGE_ACTION, type BuyerMessagePayload } from '../messages/buyer-message.action.js';
import { listReroute } from '../reroutes/reroutes.service.js';
import { RESHIP_FILE_ACTION, type ProposeReshipPayload } from '../reships/reship.actions.js';
import { TasksService } from '../tasks/tasks.service.js';
import type { Decision } from './decisions.js';
import type { RuleContext } from './rule.js';
import type { DecisionSink } from './rule-engine.js';

/**
 * Turns decisions into outbox actions and tasks inside the evaluation's transaction: they commit
 * together with the trace or not at all. Actions are only staged here; the caller enqueues the
 * `staged` ids after the commit (and the sweeper finds any that a crash left behind). A decision's
 * key is the action's idempotency key (or the task's dedupe key), so a repeated or reordered event
 * finds the first action instead of making a second.
 */
export class OutboxDecisionSink implements DecisionSink {
  readonly staged: number[] = [];

  constructor(
    private readonly m: EntityManager,
    private readonly actions: ActionsService,
    private readonly tasks: TasksService,
    private readonly now: Date,
  ) {}

  async perform(ctx: RuleContext<unknown>, rule: string, decisions: Decision[]): Promise<void> {
    for (const d of decisions) await this.one(ctx, rule, d);
  }

  private async one(ctx: RuleContext<unknown>, rule: string, d: Decision): Promise<void> {
    const order = { shopId: ctx.order.shopId, orderId: ctx.order.orderId };
    switch (d.type) {
      case 'write_remark': {
        if (d.fields.kind === 'address_change' && d.requestId === undefined) {
          throw new Error('an address-change remark must come from its sealed remark request, never carry the address itself');
        }
        const payload: RemarkWritePayload = {
          target: d.target,
          agentId: d.agentId,
          date: shanghaiDate(this.now),
          ...(d.flag ? { flag: d.flag } : {}),
          ...(d.requestId !== undefined ? { requestId: d.requestId } : { fields: d.fields }),
          rule,
        };
        await this.stage({ type: ACTION_TYPES.remarkWrite, idempotencyKey: d.key, ...order, payload: { ...payload } });
        return;
      }
      case 'set_flag':
        await this.stage({ type: ACTION_TYPES.flagSet, idempotencyKey: d.key, ...order, payload: { flag: d.flag, rule } });
        return;
      case 'send_buyer_message': {
        const payload: BuyerMessagePayload = { orderId: order.orderId, purpose: d.purpose, template: d.template, params: d.params };
        await this.stage({ type: BUYER_MESSAGE_ACTION, idempotencyKey: d.key, ...order, payload: { ...payload } });
        return;
      }
      case 'file_reship': {
        // A rule only proposes a reship; an agent confirms it before anything is filed.
        const payload: ProposeReshipPayload = { orderId: order.orderId, reason: d.reason, responsibleParty: d.responsibleParty, lines: d.lines };
        await this.stage({ type: RESHIP_FILE_ACTION, idempotencyKey: d.key, ...order, payload: { ...payload } });
        return;
      }
      case 'update_erp_address': {
        const payload: ErpAddressUpdatePayload = { ...(d.addressRef !== undefined ? { requestId: d.addressRef } : {}), ...(d.memoLineHash ? { memoLineHash: d.memoLineHash } : {}), rule };
        await this.stage({ type: ACTION_TYPES.erpAddressUpdate, idempotencyKey: d.key, ...order, payload: { ...payload } });
        return;
      }
      case 'reroute':
        await listReroute(this.m, { ...order, kind: d.kind, lineHash: d.lineHash, courier: d.courier ?? null, dedupeKey: d.key, requestedBy: d.requestedBy }, this.now);
        return;
      case 'open_task':
        await this.tasks.open(
          { ...order, type: d.taskType, role: d.role, reason: d.reason, priority: d.priority, dueInMinutes: d.dueInMinutes, assignToAgentId: d.assignToAgentId, dedupeKey: d.key, by: `rule:${rule}` },
          this.m,
        );
        return;
      case 'close_task':
        // A task whose cause went away by itself closes with that outcome (rules.md §7).
        await this.tasks.resolve(d.key, d.outcome, { label: `rule:${rule}` }, this.m);
        return;
      case 'hold':
        // The warehouse must hold the parcel: a task for them, one per cause.
        await this.tasks.open({ ...order, type: 'hold', role: 'warehouse', reason: d.reason, dedupeKey: d.key, by: `rule:${rule}` }, this.m);
        return;
    }
  }

  private async stage(req: ActionRequest): Promise<number> {
    const { action } = await this.actions.stage(this.m, req);
    if (action.status === 'pending') this.staged.push(action.id);
    return action.id;
  }
}
