import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TaskEntity } from './task.entity.js';
import { TasksService } from './tasks.service.js';

@Module({ imports: [TypeOrmModule.forFeature([TaskEntity])], providers: [TasksService], exports: [TasksService] })
export class TasksModule {}
