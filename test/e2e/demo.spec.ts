/** `npm run demo --once`: the built demo in a process of its own shows every promised item and exits 0. */
import { describe, expect, it } from '@jest/globals';
import { startScript } from '../support/processes.js';

interface DemoSummary {
  ok: boolean;
  missing: string[];
  seconds: number;
  remarksWritten: number;
  memoLines: { agentRequests: number; chased: number; reshipNumber: number };
  reminders: { sent: number; paidAfter: number };
  stalls: { flagged: number; chased: number };
  reship: { status: string; trackingNo: string | null; remarked: boolean } | null;
  tasks: { waiting: number; byType: Record<string, number> };
  reroutesOpen: number;
}

describe('the demo', () => {
  it('runs a simulated day against the sandbox and reports each expected item from the API', async () => {
    const demo = startScript(['dist', 'src', 'demo', 'main.js'], {}, ['--once', '--port', '0', '--sandbox-port', '0']);
    const code = await demo.exited;
    const output = demo.lines.join('\n');
    const line = demo.lines.find((l) => l.startsWith('DEMO_SUMMARY '));
    expect({ code, summary: line !== undefined }).toEqual({ code: 0, summary: true });
    const s = JSON.parse(line!.slice('DEMO_SUMMARY '.length)) as DemoSummary;
    expect(s).toMatchObject({ ok: true, missing: [] });
    expect(s.seconds).toBeLessThan(120);
    expect(s.remarksWritten).toBeGreaterThan(0);
    expect(s.memoLines.agentRequests).toBeGreaterThanOrEqual(2);
    expect(s.reminders.sent).toBeGreaterThanOrEqual(2);
    expect(s.stalls.chased).toBeGreaterThanOrEqual(3);
    expect(s.memoLines.chased).toBeGreaterThanOrEqual(3);
    expect(s.reship).toMatchObject({ status: 'shipped', remarked: true });
    expect(s.reship!.trackingNo).toMatch(/^\w+$/);
    expect(s.memoLines.reshipNumber).toBe(1);
    expect(s.tasks.waiting).toBeGreaterThan(0);
    expect(s.tasks.byType).toMatchObject({ chase_logistics: expect.any(Number), remark_fix: expect.any(Number) });
    expect(s.reroutesOpen).toBeGreaterThan(0);
    // The console says where to look, with a token to use; no app secret of the scenario is ever printed.
    expect(output).toContain('/docs');
    expect(output).toMatch(/export T=kfb_\w+/);
    for (const secret of ['demo-tb-secret', 'demo-pdd-secret', 'demo-ks-secret', 'demo-ks-sign', 'demo-jst-secret', 'demo-kd100-key']) expect(output).not.toContain(secret);
  }, 150_000);
});
