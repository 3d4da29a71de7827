import type { FlagColour, MessagePurpose } from '../config/config.schema.js';
import type { RemarkFields } from '../remarks/remark-kinds.js';
import type { TaskRole } from '../tasks/task.entity.js';

/**
 * What a rule may decide. Rules only decide; the engine turns decisions into actions (platform side
 * effects, each with an idempotency key) and tasks. `key` makes a decision idempotent: the same rule
 * deciding the same thing again for the same cause finds the first action or task. Keys are global
 * (they become the action's idempotency key or the task's dedupe key), so they name the order or
 * shipment they are about.
 */
export type Decision =
  /** `requestId`: the remark request carrying the fields (an address change keeps them sealed there). */
  | { type: 'write_remark'; key: string; target: 'marketplace' | 'erp'; fields: RemarkFields; agentId: string; flag?: FlagColour; requestId?: number }
  | { type: 'set_flag'; key: string; flag: FlagColour }
  /** `purpose` picks the shop's approved SMS template and the checks made at send time (action `buyer.message`). */
  | { type: 'send_buyer_message'; key: string; purpose: MessagePurpose; template: string; params: Record<string, string> }
  | { type: 'open_task'; key: string; taskType: string; role: TaskRole; reason: string; priority?: number; dueInMinutes?: number; assignToAgentId?: string }
  | { type: 'close_task'; key: string; outcome: string }
  | { type: 'file_reship'; key: string; reason: string; responsibleParty: string; lines: { skuId: string; qty: number }[] }
  /** The new address is in a sealed remark request (`addressRef`) or in a memo line people wrote (`memoLineHash`). */
  | { type: 'update_erp_address'; key: string; addressRef?: number; memoLineHash?: string }
  /** Lists a reroute for the warehouse: to the address in the memo line, with another courier, or held until a day. */
  | { type: 'reroute'; key: string; kind: 'address' | 'courier' | 'ship_date'; lineHash: string; courier?: string; requestedBy: string }
  | { type: 'hold'; key: string; reason: string };

export type DecisionType = Decision['type'];
