import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ShopEntity } from '../../shops/shop.entity.js';
import { ShopsModule } from '../../shops/shops.module.js';
import { InboundEventEntity } from '../inbound-event.entity.js';
import { OrdersModule } from '../orders.module.js';
import { InboundCounterEntity } from './inbound-counter.entity.js';
import { InboundCounters } from './inbound-counters.service.js';
import { InboundDrain } from './inbound-drain.service.js';
import { InboundEventsService } from './inbound-events.service.js';
import { InboundProcessor } from './inbound-processor.service.js';
import { PddMessageSupervisor } from './pdd-message.supervisor.js';
import { PushLeaseEntity } from './push-lease.entity.js';
import { PushLeases } from './push-leases.service.js';
import { TmcConsumer } from './tmc-consumer.service.js';
import { TrackingIngest } from './tracking-ingest.service.js';

/**
 * Inbound platform events: storage, processing, the TMC pull and the PDD message socket. Shop adapters
 * and ingestion come from the shops and orders modules, and so do the apps' `PushKeys` (from the sealed shop credentials).
 */
@Module({
  imports: [ShopsModule, OrdersModule, TypeOrmModule.forFeature([InboundEventEntity, InboundCounterEntity, PushLeaseEntity, ShopEntity])],
  providers: [InboundCounters, InboundEventsService, InboundDrain, InboundProcessor, TrackingIngest, TmcConsumer, PushLeases, PddMessageSupervisor],
  // The orders module goes along: webhooks verify Kuaidi100 callbacks with its Kd100Salts.
  exports: [OrdersModule, InboundCounters, InboundEventsService, InboundProcessor, TrackingIngest, TmcConsumer, PushLeases, PddMessageSupervisor],
})
export class PushModule {}
