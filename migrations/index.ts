import { Shops1763800000000 } from './1763800000000-shops.js';
import { Orders1763800001000 } from './1763800001000-orders.js';
import { SyncAndInbound1763800002000 } from './1763800002000-sync-and-inbound.js';
import { RemarksAndTasks1763800003000 } from './1763800003000-remarks-and-tasks.js';
import { ActionsAndTicks1763800004000 } from './1763800004000-actions-and-ticks.js';
import { ShopAccounts1763800005000 } from './1763800005000-shop-accounts.js';
import { OrdersIngest1763800006000 } from './1763800006000-orders-ingest.js';
import { PushCountersAndLeases1763800007000 } from './1763800007000-push-counters-and-leases.js';
import { ShipmentTracking1763800009000 } from './1763800009000-shipment-tracking.js';
import { Users1763800010000 } from './1763800010000-users.js';
import { TaskWorkflow1763800010100 } from './1763800010100-task-workflow.js';
import { RuleEvaluations1763800011000 } from './1763800011000-rule-evaluations.js';
import { Aftersale1763800013000 } from './1763800013000-aftersale.js';
import { Reroutes1763800014000 } from './1763800014000-reroutes.js';
import { RemarkRequests1763800015000 } from './1763800015000-remark-requests.js';
import { OutOfStockAndFollowUp1763800016000 } from './1763800016000-out-of-stock-and-follow-up.js';

/** Every migration, oldest first. A new migration is added at the end. */
export const MIGRATIONS = [
  Shops1763800000000,
  Orders1763800001000,
  SyncAndInbound1763800002000,
  RemarksAndTasks1763800003000,
  ActionsAndTicks1763800004000,
  ShopAccounts1763800005000,
  OrdersIngest1763800006000,
  PushCountersAndLeases1763800007000,
  ShipmentTracking1763800009000,
  Users1763800010000,
  TaskWorkflow1763800010100,
  RuleEvaluations1763800011000,
  Aftersale1763800013000,
  Reroutes1763800014000,
  RemarkRequests1763800015000,
  OutOfStockAndFollowUp1763800016000,
];
