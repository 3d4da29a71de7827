import { Module } from '@nestjs/common';
import { OrderEvents } from './order-events.js';
import { OrderPoller } from './order-poller.js';
import { OrderIngest } from './order-ingest.js';
import { OrdersService } from './orders.service.js';
import { PlatformCall } from './platform-call.js';
import { PollProcessor } from './poll.processor.js';
import { ShipmentWriter } from './shipment-writer.js';
import { SyncStateStore } from './sync-state.store.js';

/** Canonical orders: ingestion (poll, push, backfill), sync state and shipment tracking. */
@Module({
  providers: [
    OrderEvents,
    ShipmentWriter,
    OrdersService,
    { provide: OrderIngest, useExisting: OrdersService },
    SyncStateStore,
    PlatformCall,
    OrderPoller,
    PollProcessor,
  ],
  exports: [OrderIngest, OrdersService, OrderEvents, OrderPoller, SyncStateStore],
})
export class OrdersModule {}
