import { Module } from '@nestjs/common';
import { BackfillRunner } from './backfill.runner.js';
import { ErpCopyWriter } from './erp-copy.writer.js';
import { ErpPoller } from './erp-poller.js';
import { OrderEvents } from './order-events.js';
import { OrderPoller } from './order-poller.js';
import { OrderIngest } from './order-ingest.js';
import { OrdersService } from './orders.service.js';
import { PlatformCall } from './platform-call.js';
import { PollProcessor } from './poll.processor.js';
import { Kd100Salts } from './push/kd100-salts.js';
import { ShipmentTracker } from './shipment-tracker.js';
import { ShipmentWriter } from './shipment-writer.js';
import { SyncStateStore } from './sync-state.store.js';
import { TrackSchedule } from './track-schedule.js';
import { TrackProcessor } from './track.processor.js';
import { TrackingService } from './tracking.service.js';

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
    ErpCopyWriter,
    ErpPoller,
    PollProcessor,
    TrackingService,
    TrackSchedule,
    Kd100Salts,
    ShipmentTracker,
    TrackProcessor,
    BackfillRunner,
  ],
  exports: [OrderIngest, OrdersService, OrderEvents, OrderPoller, ErpPoller, SyncStateStore, TrackingService, TrackSchedule, Kd100Salts, TrackProcessor],
})
export class OrdersModule {}
