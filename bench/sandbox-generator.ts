/**
 * How many orders per minute the sandbox's seeded generator sustains on one core across 10 shops,
 * lifecycle included (payments, ERP mirror and audits, shipping, parcel scans run by the scheduler).
 * Each step generates one simulated minute of orders and advances the sandbox clock by a minute,
 * so the work per step is what a real minute of `--generate` costs. A benchmark, not a test.
 *
 *   npm run build && node dist/bench/sandbox-generator.js [perMinute=4000] [minutes=60] [seed=1]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { LoadGenerator } from '../src/sandbox/core/generator.js';
import { createCore } from '../src/sandbox/core/sandbox-context.js';

const perMinute = Number(process.argv[2] ?? 4000);
const minutes = Number(process.argv[3] ?? 60);
const seed = Number(process.argv[4] ?? 1);
const shops = 10;

const core = createCore({ seed, startAt: Date.UTC(2026, 10, 11, 2) });
const gen = new LoadGenerator(core.world, core.ctx.schedule, { shops, perMinute, seed });
gen.ensureShops();

let tasksRun = 0;
const started = process.hrtime.bigint();
for (let m = 0; m < minutes; m++) {
  gen.generate(perMinute, core.clock.now());
  core.clock.advance(60_000);
  tasksRun += core.scheduler.runDue();
}
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
const generated = gen.generated;
const ordersPerMinute = Math.round((generated / wallMs) * 60_000);
const mem = process.memoryUsage();
const result = {
  bench: 'sandbox-generator',
  seed,
  shops,
  simulatedMinutes: minutes,
  ordersGenerated: generated,
  wallMs: Math.round(wallMs),
  ordersPerMinute,
  target: 2000,
  meetsTarget: ordersPerMinute >= 2000,
  erpOrders: core.world.erpOrders({}).length,
  pendingTasks: core.scheduler.size,
  rssMb: Math.round(mem.rss / 1048576),
  heapUsedMb: Math.round(mem.heapUsed / 1048576),
  node: process.version,
  at: new Date().toISOString(),
};
void tasksRun;
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/sandbox-generator.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
