import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActionsModule } from '../actions/actions.module.js';
import { StallWatch } from '../logistics/stall-watch.service.js';
import { BuyerMessageExecutor } from '../messages/buyer-message.executor.js';
import { OrderEntity } from '../orders/order.entity.js';
import { OrdersModule } from '../orders/orders.module.js';
import { ShipmentEntity } from '../orders/shipment.entity.js';
import { ReminderEntity } from '../reminders/reminder.entity.js';
import { RemindersService } from '../reminders/reminders.service.js';
import { UnpaidStatsController } from '../reminders/unpaid-stats.controller.js';
import { ReshipEntity } from '../reships/reship.entity.js';
import { ReshipFileExecutor } from '../reships/reship-file.executor.js';
import { ReshipReportService } from '../reships/reship-report.service.js';
import { ReshipTracker } from '../reships/reship-tracker.js';
import { ReshipsController } from '../reships/reships.controller.js';
import { ReshipsService } from '../reships/reships.service.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { ShopsModule } from '../shops/shops.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { ShopRuleSettings } from './shop-rule-settings.js';

/**
 * Unpaid-order chasing, stalled-logistics watch, replacement shipments and in-sale/after-sale tasks
 * (rules.md §3–§6): the executors of `buyer.message` and `reship.file`, and what they keep.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ReminderEntity, ReshipEntity, OrderEntity, ShopEntity, ShipmentEntity]), ActionsModule, OrdersModule, ShopsModule, TasksModule],
  controllers: [UnpaidStatsController, ReshipsController],
  providers: [ShopRuleSettings, RemindersService, BuyerMessageExecutor, ReshipsService, ReshipFileExecutor, ReshipTracker, ReshipReportService, StallWatch],
  exports: [RemindersService, ReshipsService, ShopRuleSettings, StallWatch],
})
export class AftersaleModule {}
