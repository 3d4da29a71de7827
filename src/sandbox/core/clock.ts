import type { SandboxClock } from './contract.js';

/**
 * Real time plus an offset. Tests move virtual time forward with advance(); whoever owns the
 * scheduler subscribes with onAdvance() so work that became due runs at once, not on the next tick.
 */
export class SandboxClockImpl implements SandboxClock {
  private offsetMs = 0;
  private readonly listeners: (() => void)[] = [];

  constructor(startAt?: number) {
    if (startAt !== undefined) this.offsetMs = startAt - Date.now();
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`clock can only move forward (got ${ms})`);
    this.offsetMs += ms;
    for (const fn of this.listeners) fn();
  }

  onAdvance(fn: () => void): void {
    this.listeners.push(fn);
  }
}
