import { ActionEntity } from '../actions/action.entity.js';
import { UserEntity } from '../auth/user.entity.js';
import { InboundEventEntity } from '../orders/inbound-event.entity.js';
import { InboundCounterEntity } from '../orders/push/inbound-counter.entity.js';
import { PushLeaseEntity } from '../orders/push/push-lease.entity.js';
import { OrderEntity } from '../orders/order.entity.js';
import { ShipmentEntity } from '../orders/shipment.entity.js';
import { SyncStateEntity } from '../orders/sync-state.entity.js';
import { TrackingEventEntity } from '../orders/tracking-event.entity.js';
import { RemarkEntity } from '../remarks/remark.entity.js';
import { RemarkRequestEntity } from '../remarks/remark-request.entity.js';
import { RerouteEntity } from '../reroutes/reroute.entity.js';
import { ReminderEntity } from '../reminders/reminder.entity.js';
import { ReshipEntity } from '../reships/reship.entity.js';
import { RuleEvaluationEntity } from '../rules/rule-evaluation.entity.js';
import { ScheduleTickEntity } from '../scheduling/schedule-tick.entity.js';
import { ShopCredentialEntity } from '../shops/shop-credential.entity.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { TaskEntity } from '../tasks/task.entity.js';
import { TaskRotationEntity } from '../tasks/task-rotation.entity.js';

export const ENTITIES = [
  ShopEntity,
  ShopCredentialEntity,
  OrderEntity,
  ShipmentEntity,
  TrackingEventEntity,
  SyncStateEntity,
  InboundEventEntity,
  RemarkEntity,
  TaskEntity,
  ActionEntity,
  ScheduleTickEntity,
  InboundCounterEntity,
  PushLeaseEntity,
  UserEntity,
  TaskRotationEntity,
  ReminderEntity,
  ReshipEntity,
  RuleEvaluationEntity,
  RerouteEntity,
  RemarkRequestEntity,
];
