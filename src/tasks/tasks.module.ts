import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserEntity } from '../auth/user.entity.js';
import { OrderEntity } from '../orders/order.entity.js';
import { ShopSettingsModule } from '../shops/shop-settings.module.js';
import { TaskAssigner } from './task-assigner.js';
import { TaskQuery } from './task-query.js';
import { TaskSteps } from './task-steps.service.js';
import { TaskWriter } from './task-writer.js';
import { TaskEntity } from './task.entity.js';
import { TaskViews } from './task.view.js';
import { TasksController } from './tasks.controller.js';
import { TasksService } from './tasks.service.js';

/** Tasks for people: opened by rules, assigned in turn, worked through the API. */
@Module({
  imports: [TypeOrmModule.forFeature([TaskEntity, UserEntity, OrderEntity]), ShopSettingsModule],
  controllers: [TasksController],
  providers: [TasksService, TaskWriter, TaskAssigner, TaskQuery, TaskSteps, TaskViews],
  exports: [TasksService],
})
export class TasksModule {}
