import type { FlagColour } from '../config/config.schema.js';
import type { RemarkFields } from '../remarks/remark-kinds.js';
import type { TaskRole } from '../tasks/task.entity.js';

/**
 * What a rule may decide. Rules only decide; the engine turns decisions into actions (platform side
 * effects, each with an idempotency key) and tasks. `key` makes a decision idempotent: the same rule
 * deciding the same thing again for the same cause finds the first action or task.
 */
export type Decision =
  | { type: 'write_remark'; key: string; target: 'marketplace' | 'erp'; fields: RemarkFields; agentId: string; flag?: FlagColour }
  | { type: 'set_flag'; key: string; flag: FlagColour }
  | { type: 'send_buyer_message'; key: string; template: string; params: Record<string, string> }
  | { type: 'open_task'; key: string; taskType: string; role: TaskRole; reason: string; priority?: number; dueInMinutes?: number }
  | { type: 'close_task'; key: string; outcome: string }
  | { type: 'file_reship'; key: string; reason: string; responsibleParty: string; lines: { skuId: string; qty: number }[] }
  | { type: 'update_erp_address'; key: string; addressRef: number }
  | { type: 'hold'; key: string; reason: string };

export type DecisionType = Decision['type'];
