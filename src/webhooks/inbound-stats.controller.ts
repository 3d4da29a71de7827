import { Controller, Get } from '@nestjs/common';
import { Roles } from '../auth/roles.decorator.js';
import { InboundCounters, type InboundStatsRow } from '../orders/push/inbound-counters.service.js';

/** Push counters by platform and source: received, duplicate and each kind of rejection. */
@Controller('api/inbound')
@Roles('operator', 'lead')
export class InboundStatsController {
  constructor(private readonly counters: InboundCounters) {}

  @Get('stats')
  async stats(): Promise<{ sources: InboundStatsRow[] }> {
    return { sources: await this.counters.stats() };
  }
}
