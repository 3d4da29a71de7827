import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrderEntity } from '../orders/order.entity.js';
import { RerouteEntity } from './reroute.entity.js';
import { ReroutesController } from './reroutes.controller.js';
import { ReroutesService } from './reroutes.service.js';

/** The warehouse's reroute list. Rows are written by the rules (the remark in the memo), in their transaction. */
@Module({
  imports: [TypeOrmModule.forFeature([RerouteEntity, OrderEntity])],
  controllers: [ReroutesController],
  providers: [ReroutesService],
})
export class ReroutesModule {}
