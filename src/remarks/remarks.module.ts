import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActionsModule } from '../actions/actions.module.js';
import { OrderEntity } from '../orders/order.entity.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { ShopsModule } from '../shops/shops.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { ErpAddressWriter } from './erp-address-writer.js';
import { RemarkRequestsController } from './remark-requests.controller.js';
import { RemarkRequestsService } from './remark-requests.service.js';
import { RemarkWriter } from './remark-writer.js';
import { RemarkEntity } from './remark.entity.js';

/** Standard remarks and flags written to the marketplace memo and the ERP remark. */
@Module({
  imports: [TypeOrmModule.forFeature([RemarkEntity, OrderEntity, ShopEntity]), ActionsModule, ShopsModule, TasksModule],
  controllers: [RemarkRequestsController],
  providers: [RemarkWriter, ErpAddressWriter, RemarkRequestsService],
})
export class RemarksModule {}
