import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { GroupCommit } from '../../common/group-commit.js';
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

export interface InboundGroupJob {
  inboundIds: number[];
}

/** Stores one group commit takes at most. */
const MAX_GROUP = 500;

interface PendingStore {
  source: InboundSource;
  row: InboundEventEntity;
}

/** One event per platform and event id. */
function eventKey(r: { platform: string; eventId: string }): string {
  return `${r.platform}|${r.eventId}`;
}

/** The job id of one stored event's own processing job: repeats collapse into it. */
export function inboundJobId(inboundId: number): string {
  return `inbound:${inboundId}`;
}

/**
 * The one door for pushed events: each is stored raw once (unique per platform + event id) and only
 * then handed to processing, so a redelivery, a duplicate or a crash between the two never acts twice.
 */
@Injectable()
export class InboundEventsService {
  private readonly writes = new GroupCommit<PendingStore, StoredInbound>(MAX_GROUP, (group) => this.writeGroup(group));

  constructor(
    @InjectRepository(InboundEventEntity) private readonly repo: Repository<InboundEventEntity>,
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly counters: InboundCounters,
    private readonly clock: Clock,
  ) {}

  /**
   * Resolves once the row is committed (or found), so callers may acknowledge the platform after it.
   * Events stored while a write is under way wait for it and then go in together: one insert and one
   * queue round trip for the group (a group commit), so a burst of pushes does not commit row by row.
   */
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
    return this.writes.submit({ source, row });
  }

  /** Settles every store of the group. */
  private async writeGroup(group: PendingStore[]): Promise<PromiseSettledResult<StoredInbound>[]> {
    // A repeat of an event within the group is answered as a redelivery, after the first is stored.
    const firsts = new Map<string, PendingStore>();
    for (const p of group) {
      const key = eventKey(p.row);
      if (!firsts.has(key)) firsts.set(key, p);
    }
    const fresh = [...firsts.values()];
    const stored = fresh.length === 1 ? [await this.storeOne(fresh[0])] : await this.storeGroup(fresh);
    const results = new Map(fresh.map((p, i) => [p, stored[i]]));
    const out: PromiseSettledResult<StoredInbound>[] = [];
    for (const p of group) {
      const mine = results.get(p);
      if (mine) out.push({ status: 'fulfilled', value: mine });
      else
        out.push(
          await this.duplicate(p.row.platform, p.source, p.row.eventId).then(
            (value) => ({ status: 'fulfilled' as const, value }),
            (reason: unknown) => ({ status: 'rejected' as const, reason }),
          ),
        );
    }
    return out;
  }

  /**
   * The group's events already stored (redeliveries) are answered as such; the rest go in with one
   * insert. Should one be stored by another process meanwhile, each is stored alone instead.
   */
  private async storeGroup(group: PendingStore[]): Promise<StoredInbound[]> {
    const stored = async () =>
      new Map(
        (
          await this.repo.find({
            select: { id: true, platform: true, eventId: true },
            where: {
              platform: In([...new Set(group.map((p) => p.row.platform))]),
              eventId: In(group.map((p) => p.row.eventId)),
            },
          })
        ).map((r) => [eventKey(r), r.id]),
      );
    const known = await stored();
    const fresh = group.filter((p) => !known.has(eventKey(p.row)));
    const results = new Map<PendingStore, StoredInbound>();
    for (const p of group)
      if (known.has(eventKey(p.row))) results.set(p, await this.duplicate(p.row.platform, p.source, p.row.eventId));
    if (fresh.length > 0) {
      try {
        await this.repo
          .createQueryBuilder()
          .insert()
          .values(fresh.map((p) => p.row))
          .updateEntity(false)
          .execute();
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        for (const p of fresh) results.set(p, await this.storeOne(p));
        return group.map((p) => results.get(p)!);
      }
      const ids = await stored();
      for (const p of fresh) {
        const id = ids.get(eventKey(p.row));
        if (id === undefined)
          throw new Error(`${p.row.platform} event ${p.row.eventId} was stored but cannot be read back`);
        p.row.id = id;
        await this.counters.bump(p.row.platform, p.source, 'received');
        results.set(p, { event: p.row, duplicate: false });
      }
      // One job for the group; a row that fails in it gets a job of its own (InboundProcessor).
      const inboundIds = fresh.map((p) => p.row.id);
      await this.queue.add<InboundGroupJob>(
        JOBS.inboundGroup,
        { inboundIds },
        { jobId: `inbound-group:${inboundIds[0]}` },
      );
    }
    return group.map((p) => results.get(p)!);
  }

  private async storeOne({ row, source }: PendingStore): Promise<StoredInbound> {
    try {
      await this.repo.insert(row);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return this.duplicate(row.platform, source, row.eventId);
    }
    await this.counters.bump(row.platform, source, 'received');
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
    await this.queue.add<InboundProcessJob>(JOBS.inboundProcess, { inboundId }, { jobId: inboundJobId(inboundId) });
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
