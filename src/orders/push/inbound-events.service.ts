import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { isUniqueViolation } from '../../common/errors.js';
import { JobQueue } from '../../jobs/job-queue.js';
import { JOBS } from '../../jobs/job-names.js';
import { InboundEventEntity } from '../inbound-event.entity.js';
import { InboundCounters } from './inbound-counters.service.js';

/** Where an event came in: TMC pull, PDD WebSocket, Kuaishou HTTPS push, Kuaidi100 callback. */
export type InboundSource = 'tmc' | 'pdd_ws' | 'ks_push' | 'kd100';

/** What processing needs from a stored event; kept as JSON in inbound_events.payload. */
export interface InboundPayload {
  /** Every reference the platform gave for the shop (Kuaishou: openId and seller id). */
  shopRefs: string[];
  orderId: string | null;
  /**
   * When the platform says the order changed (epoch ms), where the push tells: a batch with several
   * events of one shop reads their orders with one list call over these times instead of a detail call each.
   */
  changedAt?: number | null;
  /** Decoded platform content, for audits and for handlers that need more than the order id. */
  content: unknown;
}

export interface StoredInbound {
  event: InboundEventEntity;
  /** True when this platform event id was already stored: nothing new was enqueued for it. */
  duplicate: boolean;
}

export interface InboundProcessJob {
  inboundId: number;
}

/**
 * The one door for pushed events: each is stored raw once (unique per platform + event id) and only
 * then handed to processing, so a redelivery, a duplicate or a crash between the two never acts twice.
 */
@Injectable()
export class InboundEventsService {
  constructor(
    @InjectRepository(InboundEventEntity) private readonly repo: Repository<InboundEventEntity>,
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly counters: InboundCounters,
    private readonly clock: Clock,
  ) {}

  /** Resolves once the row is committed (or found), so callers may acknowledge the platform after it. */
  async store(
    platform: string,
    source: InboundSource,
    eventId: string,
    topic: string,
    payload: InboundPayload,
  ): Promise<StoredInbound> {
    if (!eventId) throw new Error(`${platform} ${source} event without an id`);
    const row = this.repo.create({
      platform,
      source,
      eventId: eventId.slice(0, 128),
      shopId: null,
      topic: topic.slice(0, 64),
      payload: JSON.stringify(payload),
      status: 'received',
      error: null,
      receivedAt: this.clock.now(),
      processedAt: null,
    });
    try {
      await this.repo.insert(row);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return this.duplicate(platform, source, row.eventId);
    }
    await this.counters.bump(platform, source, 'received');
    await this.enqueue(row.id);
    return { event: row, duplicate: false };
  }

  async find(id: number): Promise<InboundEventEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  async byEventId(platform: string, eventId: string): Promise<InboundEventEntity | null> {
    return this.repo.findOne({ where: { platform, eventId } });
  }

  /** The job id collapses repeats, and processing skips rows that are no longer `received`. */
  async enqueue(inboundId: number): Promise<void> {
    await this.queue.add<InboundProcessJob>(JOBS.inboundProcess, { inboundId }, { jobId: `inbound:${inboundId}` });
  }

  private async duplicate(platform: string, source: string, eventId: string): Promise<StoredInbound> {
    const existing = await this.repo.findOne({ where: { platform, eventId } });
    if (!existing) throw new Error(`${platform} event ${eventId} collided but cannot be read back`);
    await this.counters.bump(platform, source, 'duplicate');
    // A row still waiting (its first job lost with a crashed process) gets its job again; the id collapses repeats.
    if (existing.status === 'received') await this.enqueue(existing.id);
    return { event: existing, duplicate: true };
  }
}
