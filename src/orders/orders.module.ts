import { Module } from '@nestjs/common';
import { OrderEvents } from './order-events.js';
import { OrderIngest } from './order-ingest.js';
import { OrdersService } from './orders.service.js';
import { ShipmentWriter } from './shipment-writer.js';

/** Canonical orders: ingestion (poll, push, backfill), sync state and shipment tracking. */
@Module({
  providers: [OrderEvents, ShipmentWriter, OrdersService, { provide: OrderIngest, useExisting: OrdersService }],
  exports: [OrderIngest, OrdersService, OrderEvents],
})
export class OrdersModule {}
