import { Injectable, Logger } from '@nestjs/common';
import type { OrderChanged } from './order-ingest.js';

/** Takes the changes one write committed together (one order, or a batch's hundreds). */
export type OrderChangedHandler = (events: readonly OrderChanged[]) => Promise<void> | void;

/**
 * In-process fan-out of committed order changes (the rules engine subscribes). Handlers run after
 * the ingest committed, each once with all of its changes, so it can deal with them in one go; a
 * failing handler is logged and never undoes or blocks the ingest.
 */
@Injectable()
export class OrderEvents {
  private readonly log = new Logger('order-events');
  private readonly handlers = new Set<OrderChangedHandler>();

  subscribe(handler: OrderChangedHandler): () => void {
    this.handlers.add(handler);
    return () => void this.handlers.delete(handler);
  }

  async emit(events: OrderChanged[]): Promise<void> {
    if (events.length === 0) return;
    for (const handler of this.handlers) {
      try {
        await handler(events);
      } catch (err) {
        this.log.error({ msg: 'order change handler failed', orderIds: events.slice(0, 20).map((e) => e.orderId), changes: events.length, err: (err as Error).message });
      }
    }
  }
}
