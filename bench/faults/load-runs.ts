/**
 * The three fault runs under load. Each starts a fresh setup, drives the order load, injects its fault
 * while the load runs, measures recovery from the end of the fault, lets the backlog drain and compares
 * the sandbox's record with the ledger:
 *
 *  - kill: a worker SIGKILLed every 10 s (a replacement started at once), the api process untouched;
 *  - restarts: Redis SIGKILLed and started again a third of the way in, MariaDB two thirds of the way in;
 *  - platform: 20% of Kuaishou and Jushuitan calls answered with a 5xx for the whole load, and every call
 *    rate-limited for a minute in the middle of it.
 */
import { sleep } from '../bench-env.js';
import { startFaultWorld, type FaultWorld, type ProcessExit } from './fault-world.js';
import { LoadDriver, Ledger, type LoadOptions } from './load.js';
import { measureRecovery, type Recovery } from './recovery.js';
import type { PrivateServer } from './servers.js';
import { exactlyOnceFigures, settle, summaryLine, type Verdict } from './verify.js';

export interface LoadRunOptions {
  loadMs: number;
  settleMs: number;
  load: Omit<LoadOptions, 'seed'>;
  stormMs: number;
  downMs: number;
  seed: number;
}

export interface Servers {
  mariadb: PrivateServer;
  redis: PrivateServer;
}

export interface LoadRunResult {
  run: 'kill' | 'restarts' | 'platform';
  fault: Record<string, unknown>;
  load: { seconds: number; eventsOffered: number; eventsPerS: number; ordersPlaced: number };
  recovery: Recovery[];
  settle: { drained: boolean; seconds: number };
  lost: Record<string, number>;
  doubled: Record<string, number>;
  verdict: Verdict;
  unexpectedExits: ProcessExit[];
  peakRssMb: Record<string, number>;
  agentRequests: { remark: number; reship: number };
  met: { exactlyOnce: boolean; recoveryWithin30s: boolean; noCrash: boolean; drained: boolean };
}

type Fault = (w: FaultWorld, load: LoadDriver, o: LoadRunOptions, log: (s: string) => void) => Promise<{ fault: Record<string, unknown>; recovery: Recovery[] }>;

const RECOVERY_TARGET_S = 30;

async function loadRun(name: LoadRunResult['run'], workers: number, fault: Fault, servers: Servers, o: LoadRunOptions, log: (s: string) => void): Promise<LoadRunResult> {
  log(`run ${name}: setting up (${workers} workers)`);
  const w = await startFaultWorld({ seed: o.seed, workers, databaseUrl: servers.mariadb.url, redisUrl: servers.redis.url });
  try {
    const ledger = new Ledger();
    const load = new LoadDriver(w, ledger, { ...o.load, seed: o.seed });
    load.start();
    load.startPlacing();
    const started = Date.now();
    log(`run ${name}: load ${o.loadMs / 1000} s at ${o.load.eventsPerS} events/s`);
    const injected = await fault(w, load, o, log);
    const events = load.stopPlacing();
    const loadS = (Date.now() - started) / 1000;
    log(`run ${name}: load done (${events} events in ${loadS.toFixed(0)} s); settling`);
    const settled = await settle(w, ledger, o.settleMs, log);
    await load.stop();
    const figures = exactlyOnceFigures(settled.verdict);
    log(`run ${name}: ${summaryLine(settled.verdict)}`);
    const recovered = injected.recovery.every((r) => r.seconds !== null && r.seconds <= RECOVERY_TARGET_S);
    return {
      run: name,
      fault: injected.fault,
      load: { seconds: Math.round(loadS), eventsOffered: events, eventsPerS: +(events / loadS).toFixed(1), ordersPlaced: ledger.all().filter((t) => !t.probe).length },
      recovery: injected.recovery,
      settle: { drained: settled.drained, seconds: settled.seconds },
      lost: figures.lost,
      doubled: figures.doubled,
      verdict: settled.verdict,
      unexpectedExits: w.unexpectedExits,
      peakRssMb: w.peakRssMb(),
      agentRequests: { remark: load.agentCalls.remark, reship: load.agentCalls.reship },
      met: { exactlyOnce: figures.met, recoveryWithin30s: recovered, noCrash: w.unexpectedExits.length === 0, drained: settled.drained },
    };
  } finally {
    await w.close();
  }
}

/** Waits until `ms` after `from`. */
const until = (from: number, ms: number) => sleep(Math.max(0, from + ms - Date.now()));

const killEvery10s: Fault = async (w, load, o, log) => {
  const started = Date.now();
  let kills = 0;
  let lastKillAt = started;
  const replacements: Promise<unknown>[] = [];
  for (let at = 10_000; at <= o.loadMs; at += 10_000) {
    await until(started, at);
    const victim = w.workers()[0];
    if (!victim) continue;
    w.killWorker(victim);
    kills++;
    lastKillAt = Date.now();
    replacements.push(w.addWorker().catch((err: unknown) => log(`  replacement worker failed to start: ${String(err)}`)));
  }
  log(`  ${kills} workers killed; measuring recovery after the last kill`);
  const recovery = [await measureRecovery(w, load, 'last worker kill', lastKillAt)];
  await Promise.all(replacements);
  return { fault: { kind: 'worker SIGKILL every 10 s, replacement started at once', kills }, recovery };
};

function restartsOf(servers: Servers): Fault {
  return async (w, load, o, log) => {
    const started = Date.now();
    const recovery: Promise<Recovery>[] = [];
    const downtime: Record<string, number> = {};
    for (const [server, at] of [
      [servers.redis, o.loadMs / 3],
      [servers.mariadb, (2 * o.loadMs) / 3],
    ] as const) {
      await until(started, at);
      log(`  ${server.name}: SIGKILL, down for ${o.downMs / 1000} s`);
      const down = Date.now();
      await server.kill();
      await sleep(o.downMs);
      await server.start();
      downtime[server.name] = +((Date.now() - down) / 1000).toFixed(1);
      log(`  ${server.name}: back after ${downtime[server.name]} s`);
      recovery.push(measureRecovery(w, load, `${server.name} restart`, Date.now()));
    }
    await until(started, o.loadMs);
    return { fault: { kind: 'Redis then MariaDB SIGKILLed and started again on the same data and port', downtimeS: downtime }, recovery: await Promise.all(recovery) };
  };
}

const platformTrouble: Fault = async (w, load, o, log) => {
  const started = Date.now();
  const services = ['kuaishou', 'jushuitan'] as const;
  for (const s of services) w.sb.ctx.faults.set(s, { errorRate: 0.2 });
  log('  20% platform 5xx on');
  await until(started, o.loadMs / 3);
  const stormEnds = Date.now() + o.stormMs;
  for (const s of services) w.sb.ctx.faults.set(s, { errorRate: 0.2, rateLimitStormUntil: stormEnds });
  log(`  rate-limit storm for ${o.stormMs / 1000} s`);
  await sleep(o.stormMs);
  const stormRecovery = measureRecovery(w, load, 'rate-limit storm (5xx still at 20%)', stormEnds);
  await until(started, o.loadMs);
  for (const s of services) w.sb.ctx.faults.clear(s);
  const faultsOff = Date.now();
  log('  platform faults off');
  const recovery = [await stormRecovery, await measureRecovery(w, load, 'platform 5xx off', faultsOff)];
  const failedCalls = Object.entries(w.sb.ctx.calls.counts())
    .filter(([k]) => !k.endsWith('|ok'))
    .reduce<Record<string, number>>((acc, [k, n]) => {
      const outcome = k.split('|')[3] ?? k;
      acc[outcome] = (acc[outcome] ?? 0) + n;
      return acc;
    }, {});
  return { fault: { kind: '20% 5xx on Kuaishou and Jushuitan for the whole load; every call rate-limited for the storm', stormS: o.stormMs / 1000, failedCallsByOutcome: failedCalls }, recovery };
};

export const runKill = (s: Servers, o: LoadRunOptions, log: (s: string) => void) => loadRun('kill', 2, killEvery10s, s, o, log);
export const runRestarts = (s: Servers, o: LoadRunOptions, log: (s: string) => void) => loadRun('restarts', 2, restartsOf(s), s, o, log);
export const runPlatform = (s: Servers, o: LoadRunOptions, log: (s: string) => void) => loadRun('platform', 2, platformTrouble, s, o, log);
