import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActionEntity } from '../actions/action.entity.js';
import { OrderEntity } from '../orders/order.entity.js';
import { ShipmentEntity } from '../orders/shipment.entity.js';
import { RuleEvaluationEntity } from '../rules/rule-evaluation.entity.js';
import { RulesModule } from '../rules/rules.module.js';
import { TaskEntity } from '../tasks/task.entity.js';
import { OrderViewsController } from './order-views.controller.js';
import { OrderViewsService } from './order-views.service.js';

/** GET /api/orders/:id and its decision trace. */
@Module({
  imports: [TypeOrmModule.forFeature([OrderEntity, ShipmentEntity, RuleEvaluationEntity, TaskEntity, ActionEntity]), RulesModule],
  controllers: [OrderViewsController],
  providers: [OrderViewsService],
})
export class OrderViewsModule {}
