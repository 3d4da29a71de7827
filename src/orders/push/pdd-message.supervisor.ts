import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../../common/clock.js';
import { errorText } from '../../common/errors.js';
import { AppConfig } from '../../config/config.schema.js';
import { PddMessageClient } from '../../platforms/pinduoduo/pinduoduo.push.js';
import type { PlatformEvent } from '../../platforms/ports/canonical.types.js';
import { InboundEventsService } from './inbound-events.service.js';
import { PushKeys, type PddAppKeys } from './push-keys.js';
import { newHolder, PushLeases } from './push-leases.service.js';

/** A holder that stops renewing (crash, partition) frees the app for another worker after this long. */
const LEASE_MS = 60_000;
const RENEW_EVERY_MS = 15_000;

/**
 * Keeps one Pinduoduo message WebSocket per app across all worker processes: a worker connects only
 * while it holds the app's lease, and drops the connection as soon as it cannot renew it. Heartbeats
 * and reconnects are the client's; the Ack for a frame goes out only after its event is stored.
 */
@Injectable()
export class PddMessageSupervisor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('pdd-ws');
  private readonly holder = newHolder();
  private readonly clients = new Map<string, PddMessageClient>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly inbound: InboundEventsService,
    private readonly leases: PushLeases,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly keys: PushKeys,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    const tick = (): void => void this.supervise().catch((err: unknown) => this.log.warn({ msg: 'supervise failed', error: errorText(err, 300) }));
    this.timer = setInterval(tick, RENEW_EVERY_MS);
    this.timer.unref();
    tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    for (const clientId of [...this.clients.keys()]) await this.disconnect(clientId);
  }

  /** Apps this process holds a connection for. */
  connectedApps(): string[] {
    return [...this.clients.keys()];
  }

  /** One pass: take or renew each app's lease, connect what we hold, drop what we lost. Never overlaps. */
  async supervise(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    const apps = await this.keys.pinduoduoApps();
    const wanted = new Set(apps.map((a) => a.clientId));
    for (const clientId of this.clients.keys()) if (!wanted.has(clientId)) await this.disconnect(clientId);
    for (const app of apps) {
      const held = await this.leases.acquire(leaseName(app.clientId), this.holder, LEASE_MS);
      if (held && !this.clients.has(app.clientId)) await this.connect(app);
      if (!held && this.clients.has(app.clientId)) await this.disconnect(app.clientId, false);
    }
  }

  private async connect(app: PddAppKeys): Promise<void> {
    const client = new PddMessageClient({
      wsBaseUrl: this.config.platforms.pinduoduo.messageUrl,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      onEvent: (e) => this.store(e),
      onError: (err) => this.log.warn({ msg: 'pdd message socket', clientId: app.clientId, error: errorText(err, 300) }),
      now: () => this.clock.nowMs(),
    });
    this.clients.set(app.clientId, client);
    try {
      await client.start();
    } catch (err) {
      // The client keeps reconnecting on close; a failed first open is logged and retried by it.
      this.log.warn({ msg: 'pdd message socket did not open', clientId: app.clientId, error: errorText(err, 300) });
    }
  }

  private async disconnect(clientId: string, release = true): Promise<void> {
    const client = this.clients.get(clientId);
    this.clients.delete(clientId);
    await client?.stop();
    if (release) await this.leases.release(leaseName(clientId), this.holder).catch(() => undefined);
  }

  /** Resolves after the insert committed: the client sends the Ack only then. */
  private async store(e: PlatformEvent): Promise<void> {
    await this.inbound.store('pinduoduo', 'pdd_ws', e.eventId, e.topic, {
      shopRefs: e.shopRef ? [e.shopRef] : [],
      orderId: e.orderId,
      content: e.content,
    });
  }
}

export function leaseName(clientId: string): string {
  return `pdd-ws:${clientId}`;
}
