import { Module } from '@nestjs/common';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { HealthController } from './health.controller.js';

@Module({ imports: [SchedulingModule], controllers: [HealthController] })
export class HealthModule {}
