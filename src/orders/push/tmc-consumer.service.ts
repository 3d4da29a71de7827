import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { errorText } from '../../common/errors.js';
import { AppConfig } from '../../config/config.schema.js';
import { JobQueue } from '../../jobs/job-queue.js';
import { JOBS } from '../../jobs/job-names.js';
import type { PlatformEvent } from '../../platforms/ports/canonical.types.js';
import { TaobaoClient } from '../../platforms/taobao/taobao.client.js';
import { TaobaoTmcPuller } from '../../platforms/taobao/taobao.tmc.js';
import { InboundEventsService } from './inbound-events.service.js';
import { PushKeys, type TaobaoAppKeys } from './push-keys.js';
import { newHolder, PushLeases } from './push-leases.service.js';

/** Pulls per app and tick; a full batch means more may be waiting, up to this many pulls. */
const MAX_PULLS_PER_TICK = 5;
const BATCH = 100;
/** Longer than a tick's pulls can take; released as soon as the pulls end. */
const LEASE_MS = 120_000;

export interface TmcRound {
  appKey: string;
  pulled: number;
  confirmed: number;
  failed: number;
}

/**
 * The TMC pull (job `tmc.consume`, one tick for all Taobao apps). Each message is stored first; only
 * the ids whose insert committed (new or already stored) are confirmed. A message that could not be
 * stored stays unconfirmed, and TMC hands it out again later. An app is pulled by one process at a time
 * (a database lease): a slow round in one worker and the next tick's job in another never overlap.
 */
@Injectable()
export class TmcConsumer implements OnModuleInit {
  private readonly log = new Logger('tmc');
  private readonly holder = newHolder();

  constructor(
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly inbound: InboundEventsService,
    private readonly leases: PushLeases,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly keys: PushKeys,
  ) {}

  onModuleInit(): void {
    this.queue.register(JOBS.tmcConsume, async () => {
      await this.consumeAll();
    });
  }

  async consumeAll(): Promise<TmcRound[]> {
    const rounds: TmcRound[] = [];
    for (const app of await this.keys.taobaoApps()) {
      const lease = `tmc:${app.appKey}`;
      if (!(await this.leases.acquire(lease, this.holder, LEASE_MS))) continue;
      try {
        rounds.push(await this.consumeApp(app));
      } catch (err) {
        // One app's failure (expired app, network) must not starve the others; the next tick retries.
        this.log.warn({ msg: 'tmc pull failed', appKey: app.appKey, error: errorText(err, 300) });
      } finally {
        await this.leases.release(lease, this.holder);
      }
    }
    return rounds;
  }

  async consumeApp(app: TaobaoAppKeys): Promise<TmcRound> {
    const puller = new TaobaoTmcPuller(this.client(app));
    const round: TmcRound = { appKey: app.appKey, pulled: 0, confirmed: 0, failed: 0 };
    for (let i = 0; i < MAX_PULLS_PER_TICK; i++) {
      const events = await puller.consume(BATCH);
      round.pulled += events.length;
      const stored = await this.storeAll(events);
      round.failed += events.length - stored.length;
      if (stored.length) await puller.confirm(stored);
      round.confirmed += stored.length;
      if (events.length < BATCH) break;
    }
    return round;
  }

  /** Ids of the messages now safely stored; the others are left for redelivery. */
  private async storeAll(events: PlatformEvent[]): Promise<string[]> {
    const ids: string[] = [];
    for (const e of events) {
      try {
        await this.inbound.store('taobao', 'tmc', e.eventId, e.topic, {
          shopRefs: e.shopRef ? [e.shopRef] : [],
          orderId: e.orderId,
          content: e.content,
        });
        ids.push(e.eventId);
      } catch (err) {
        this.log.warn({ msg: 'tmc message not stored, left unconfirmed', id: e.eventId, error: errorText(err, 300) });
      }
    }
    return ids;
  }

  private client(app: TaobaoAppKeys): TaobaoClient {
    return new TaobaoClient({
      routerUrl: this.config.platforms.taobao.routerUrl,
      appKey: app.appKey,
      appSecret: app.appSecret,
      timeoutMs: this.config.platforms.timeoutMs,
      now: () => this.clock.now(),
    });
  }
}
