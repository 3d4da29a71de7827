import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActionEntity } from './action.entity.js';
import { ActionExecutors } from './action-executors.js';
import { ActionsService } from './actions.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ActionEntity])],
  providers: [ActionExecutors, ActionsService],
  exports: [ActionExecutors, ActionsService],
})
export class ActionsModule {}
