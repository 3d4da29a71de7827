import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ScheduleTickEntity } from './schedule-tick.entity.js';
import { SchedulerService } from './scheduler.service.js';

@Module({
  imports: [ScheduleModule.forRoot(), TypeOrmModule.forFeature([ScheduleTickEntity])],
  providers: [SchedulerService],
  exports: [SchedulerService],
})
export class SchedulingModule {}
