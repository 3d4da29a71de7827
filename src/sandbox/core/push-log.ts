import type { SandboxClock, SandboxPushLog, SbPushRecord, SbService } from './contract.js';

export class PushLog implements SandboxPushLog {
  private readonly recs = new Map<string, SbPushRecord>();

  constructor(private readonly clock: SandboxClock) {}

  upsert(rec: Pick<SbPushRecord, 'service' | 'id' | 'topic' | 'shopId'>): SbPushRecord {
    const key = `${rec.service}|${rec.id}`;
    let r = this.recs.get(key);
    if (!r) {
      r = { ...rec, deliveredAt: [], unansweredAt: [], dropped: 0, duplicated: 0 };
      this.recs.set(key, r);
    }
    return r;
  }

  delivered(service: SbService, id: string): void {
    this.recs.get(`${service}|${id}`)?.deliveredAt.push(this.clock.now());
  }

  unanswered(service: SbService, id: string): void {
    this.recs.get(`${service}|${id}`)?.unansweredAt.push(this.clock.now());
  }

  acknowledged(service: SbService, id: string): void {
    const r = this.recs.get(`${service}|${id}`);
    if (r && r.acknowledgedAt === undefined) r.acknowledgedAt = this.clock.now();
  }

  records(service?: SbService): SbPushRecord[] {
    const all = [...this.recs.values()];
    return service ? all.filter((r) => r.service === service) : all;
  }
}
