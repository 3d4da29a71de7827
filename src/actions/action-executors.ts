import { Injectable } from '@nestjs/common';
import type { ActionEntity } from './action.entity.js';

/**
 * Performs one kind of action against a platform. It must be safe to run again after a crash
 * mid-way: check the platform's state before changing it (the idempotency key says what "done" is).
 */
export type ActionExecutor = (action: ActionEntity) => Promise<Record<string, unknown> | void>;

/** Action type → executor. Modules that own an action type register it at start-up. */
@Injectable()
export class ActionExecutors {
  private readonly executors = new Map<string, ActionExecutor>();

  register(type: string, executor: ActionExecutor): void {
    if (this.executors.has(type)) throw new Error(`action type "${type}" is registered twice`);
    this.executors.set(type, executor);
  }

  get(type: string): ActionExecutor | undefined {
    return this.executors.get(type);
  }
}
