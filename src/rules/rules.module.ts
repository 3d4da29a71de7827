import { Global, Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { ShopsModule } from '../shops/shops.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { ActionsModule } from '../actions/actions.module.js';
import { AftersaleModule } from '../aftersale/aftersale.module.js';
import { OrderRulesRunner } from './order-rules-runner.js';
import { OrderSnapshotLoader } from './order-snapshot.loader.js';
import { RulesProcessor } from './rules.processor.js';
import { RulesService } from './rules.service.js';

/**
 * The rules engine wired in: evaluations on order changes and due scans, decisions into the outbox.
 * Global, so scans of other modules (the stall watch) can hand due orders to OrderRulesRunner.
 */
@Global()
@Module({
  imports: [ActionsModule, AftersaleModule, OrdersModule, ShopsModule, TasksModule],
  providers: [OrderSnapshotLoader, RulesService, RulesProcessor, { provide: OrderRulesRunner, useExisting: RulesService }],
  exports: [RulesService, OrderRulesRunner],
})
export class RulesModule {}
