import { Injectable, Logger } from '@nestjs/common';
import type { OrderChanged } from './order-ingest.js';

export type OrderChangedHandler = (event: OrderChanged) => Promise<void> | void;

/**
 * In-process fan-out of committed order changes (the rules engine subscribes). Handlers run after
 * the ingest committed; a failing handler is logged and never undoes or blocks the ingest.
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
    for (const event of events) {
      for (const handler of this.handlers) {
        try {
          await handler(event);
        } catch (err) {
          this.log.error({ msg: 'order change handler failed', orderId: event.orderId, err: (err as Error).message });
        }
      }
    }
  }
}
