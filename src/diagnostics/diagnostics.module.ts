import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import axios from 'axios';
import { ActionExecutors } from '../actions/action-executors.js';
import { ActionsModule } from '../actions/actions.module.js';
import type { ActionEntity } from '../actions/action.entity.js';

export const PROBE_ACTION = 'diagnostics.probe';

/**
 * An end-to-end probe through the outbox and the queue (KEFU_DIAGNOSTICS=on): the action reports
 * "started" to a callback, holds for a while, then reports "done". Operators use it to check a
 * deployment; the multi-process tests use it to kill a worker in the middle of an action.
 */
@Injectable()
export class ProbeExecutor implements OnModuleInit {
  constructor(private readonly executors: ActionExecutors) {}

  onModuleInit(): void {
    this.executors.register(PROBE_ACTION, (a) => this.run(a));
  }

  private async run(action: ActionEntity): Promise<Record<string, unknown>> {
    const { callbackUrl, holdMs } = action.payload as { callbackUrl: string; holdMs?: number };
    const report = (phase: string) => axios.post(callbackUrl, { key: action.idempotencyKey, phase, pid: process.pid, attempt: action.attempts }, { timeout: 5000 });
    await report('started');
    await new Promise((r) => setTimeout(r, holdMs ?? 0));
    await report('done');
    return { pid: process.pid };
  }
}

@Module({ imports: [ActionsModule], providers: [ProbeExecutor] })
export class DiagnosticsModule {}
