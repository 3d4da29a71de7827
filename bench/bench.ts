/**
 * `npm run bench [-- --runs N (default 3)] [-- --quick]`: kefu-bridge end to end on MariaDB + Redis with the
 * platform sandbox on the same machine. Per run:
 *
 *  1. ingest with one kefu-bridge process, then with two processes taking queue work (events per second,
 *     push received → stored → order upserted → rules evaluated);
 *  2. remark latency at 100 payments per second (one process);
 *  3. the ceiling ratio: that ingest rate over a plain batched upsert of the same rows, same run;
 *  5. platform list and detail calls per 100 changed orders during the ingest load;
 *  6. peak RSS of each kefu-bridge process under the ingest load.
 *
 * Figures are medians over the runs; bench/results/bench.json holds them with every run, the machine,
 * the MariaDB version, the commit and the date (--quick: one short run, bench/results/bench-quick.json).
 * DATABASE_URL (default mysql://root@127.0.0.1:3306/kefu_bench_ingest, dropped and created per setup)
 * and REDIS_URL (default redis://127.0.0.1:6379, a fresh queue prefix per setup) name the servers.
 * The stalled-logistics scan (figure 4) is its own script: `npm run bench:stall-scan`.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runCeiling, type CeilingFigures } from './ceiling.js';
import { commit, machine, median, serverVersion } from './bench-env.js';
import { DATABASE_URL, REDIS_URL, startBenchWorld, type BenchWorld } from './bench-world.js';
import { runIngest, type IngestFigures } from './ingest-phase.js';
import { runRemarks, type RemarkFigures } from './remark-phase.js';

const OFFERED_PER_S = 1500;
const TARGETS = { ingestPerS: 1000, remarkP99Ms: 2000, ceilingRatio: 0.05, listPer100Changed: 1.1, peakRssMb: 400 };

interface Run {
  oneProcess: Omit<IngestFigures, 'load'>;
  twoProcesses: Omit<IngestFigures, 'load'>;
  ceiling: CeilingFigures;
  ceilingRatio: number;
  twoOverOne: number;
  remarks: RemarkFigures;
}

const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { runs: { type: 'string' }, quick: { type: 'boolean', default: false } }, strict: true });
  const quick = values.quick ?? false;
  const runCount = Number(values.runs ?? (quick ? 1 : 3));
  if (!Number.isInteger(runCount) || runCount < 1) throw new Error('--runs must be a positive integer');
  const runs: Run[] = [];
  for (let r = 0; r < runCount; r++) {
    log(`run ${r + 1}/${runCount}`);
    runs.push(await oneRun(r + 1, quick));
  }
  const one = runs.map((r) => r.oneProcess);
  const result = {
    bench: 'ingest',
    quick,
    runs: runCount,
    conditions: {
      platform: 'Kuaishou HTTPS push to /webhooks/kuaishou/:appKey, 4 shops of one app (300 QPS per API per app in the sandbox)',
      load: `open loop at ${OFFERED_PER_S} events/s offered: new orders and payments of earlier ones alternately, after a warm-up`,
      remarkLoad: '100 payments/s; an in-sale agent asks for a ship-date remark once the order shows paid',
      kefuBridge: 'node dist/src/main.js, NODE_ENV=production, LOG_LEVEL=info; 1 process (role both) or 2 (both + worker)',
      sameMachine: 'MariaDB, Redis, the sandbox and the bench driver share the machine with kefu-bridge',
    },
    medians: {
      ingestEventsPerS1Process: median(one.map((x) => x.eventsPerS)),
      ingestEventsPerS2Processes: median(runs.map((r) => r.twoProcesses.eventsPerS)),
      twoOverOneProcess: median(runs.map((r) => r.twoOverOne)),
      remarkP50Ms: median(runs.map((r) => r.remarks.p50Ms)),
      remarkP99Ms: median(runs.map((r) => r.remarks.p99Ms)),
      ceilingRowsPerS: median(runs.map((r) => r.ceiling.rowsPerS)),
      ceilingRatio: median(runs.map((r) => r.ceilingRatio)),
      listCallsPer100Changed: median(one.map((x) => x.calls.listPer100Changed)),
      detailCallsPer100Changed: median(one.map((x) => x.calls.detailPer100Changed)),
      peakRssMb1Process: median(one.map((x) => Math.max(...Object.values(x.peakRssMb)))),
    },
    targets: TARGETS,
    machine: { ...machine(), mariadb: await serverVersion(DATABASE_URL), redis: REDIS_URL.replace(/\/\/[^@]*@/, '//') },
    commit: commit(),
    at: new Date().toISOString(),
    perRun: runs,
  };
  const m = result.medians;
  const met = {
    ingest: m.ingestEventsPerS1Process >= TARGETS.ingestPerS,
    remarkP99: m.remarkP99Ms < TARGETS.remarkP99Ms,
    ceilingRatio: m.ceilingRatio >= TARGETS.ceilingRatio,
    listCalls: m.listCallsPer100Changed <= TARGETS.listPer100Changed,
    peakRss: m.peakRssMb1Process < TARGETS.peakRssMb,
  };
  mkdirSync('bench/results', { recursive: true });
  const file = quick ? 'bench/results/bench-quick.json' : 'bench/results/bench.json';
  writeFileSync(file, `${JSON.stringify({ ...result, met }, null, 2)}\n`);
  process.stdout.write(summary(result.medians, met, runCount, file));
}

async function oneRun(n: number, quick: boolean): Promise<Run> {
  const seed = 1000 + n;
  let w: BenchWorld = await startBenchWorld(1, seed);
  let oneProcess: IngestFigures;
  let ceiling: CeilingFigures;
  let remarks: RemarkFigures;
  let events: number;
  try {
    const warm = await runIngest(w, { events: quick ? 300 : 500, offeredPerS: OFFERED_PER_S, deadlineMs: 120_000 });
    // Size the measured load to a fixed stretch of work at the warm-up's rate, so slow and fast builds take similar time.
    events = Math.min(15_000, Math.max(quick ? 600 : 1000, Math.round(warm.eventsPerS * (quick ? 8 : 15))));
    log(`  warm-up ${warm.eventsPerS}/s; 1 process, ${events} events`);
    oneProcess = await runIngest(w, { events, offeredPerS: OFFERED_PER_S, deadlineMs: 240_000 });
    log(`  1 process: ${oneProcess.eventsPerS} events/s${oneProcess.complete ? '' : ' (deadline)'}`);
    ceiling = await runCeiling(w.sb, oneProcess.load, DATABASE_URL);
    log(`  ceiling: ${ceiling.rowsPerS} rows/s`);
    remarks = await runRemarks(w, { perS: 100, seconds: quick ? 5 : 10, deadlineMs: 60_000 });
    log(`  remarks: p50 ${remarks.p50Ms} ms, p99 ${remarks.p99Ms} ms (${remarks.written}/${remarks.orders})`);
  } finally {
    await w.close();
  }
  w = await startBenchWorld(2, seed);
  let twoProcesses: IngestFigures;
  try {
    await runIngest(w, { events: quick ? 300 : 500, offeredPerS: OFFERED_PER_S, deadlineMs: 120_000 });
    twoProcesses = await runIngest(w, { events, offeredPerS: OFFERED_PER_S, deadlineMs: 240_000 });
    log(`  2 processes: ${twoProcesses.eventsPerS} events/s${twoProcesses.complete ? '' : ' (deadline)'}`);
  } finally {
    await w.close();
  }
  const strip = ({ load: _load, ...rest }: IngestFigures) => rest;
  return {
    oneProcess: strip(oneProcess),
    twoProcesses: strip(twoProcesses),
    ceiling,
    ceilingRatio: +(oneProcess.eventsPerS / ceiling.rowsPerS).toFixed(4),
    twoOverOne: +(twoProcesses.eventsPerS / oneProcess.eventsPerS).toFixed(2),
    remarks,
  };
}

function summary(m: Record<string, number>, met: Record<string, boolean>, runs: number, file: string): string {
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return [
    `kefu-bridge bench, medians of ${runs} run(s) → ${file}`,
    `1 ingest, 1 process        ${m.ingestEventsPerS1Process} events/s (target ≥ ${TARGETS.ingestPerS}: ${mark(met.ingest)})`,
    `  2 processes              ${m.ingestEventsPerS2Processes} events/s (×${m.twoOverOneProcess} of 1 process)`,
    `2 remark latency @100/s    p50 ${m.remarkP50Ms} ms, p99 ${m.remarkP99Ms} ms (target p99 < ${TARGETS.remarkP99Ms}: ${mark(met.remarkP99)})`,
    `3 ceiling ratio            ${m.ceilingRatio} (plain batched upsert ${m.ceilingRowsPerS} rows/s; target ≥ ${TARGETS.ceilingRatio}: ${mark(met.ceilingRatio)})`,
    `5 list calls / 100 changed ${m.listCallsPer100Changed} (target ≤ ${TARGETS.listPer100Changed}: ${mark(met.listCalls)}); detail calls / 100 changed ${m.detailCallsPer100Changed}`,
    `6 peak RSS, 1 process      ${m.peakRssMb1Process} MB (target < ${TARGETS.peakRssMb}: ${mark(met.peakRss)})`,
    '',
  ].join('\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
