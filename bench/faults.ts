/**
 * `npm run bench:faults [-- --only kill,restarts,platform,fuzz] [-- --quick]`: kefu-bridge under faults,
 * end to end with the platform sandbox (issue 7's fault runs).
 *
 *  1. kill: a worker SIGKILLed every 10 s during a 5-minute load;
 *  2. restarts: Redis, then MariaDB, SIGKILLed and started again mid-load;
 *  3. platform: 20% platform 5xx for the whole load and a one-minute rate-limit storm;
 *  4. fuzz: 10,000 fuzzed pushes and API requests.
 *
 * Every load run ends by comparing the sandbox's record with what should have happened (nothing lost,
 * nothing done twice) and measures recovery after the fault (target ≤ 30 s). MariaDB and Redis are
 * private servers this script starts on free ports and removes at the end; the machine's own servers are
 * never touched. --quick: 60-second loads, a 20-second storm and 1,000 fuzz requests, for trying it out.
 * Results: bench/results/faults.json (faults-quick.json with --quick; a subset of runs adds their names,
 * e.g. faults-quick-fuzz.json); a summary on stdout, progress on stderr.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { commit, machine, serverVersion } from './bench-env.js';
import { runFuzz, type FuzzResult } from './faults/fuzz.js';
import { runKill, runPlatform, runRestarts, type LoadRunOptions, type LoadRunResult, type Servers } from './faults/load-runs.js';
import { startPrivateMariadb, startPrivateRedis } from './faults/servers.js';

const RUNS = ['kill', 'restarts', 'platform', 'fuzz'] as const;
type RunName = (typeof RUNS)[number];

const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

function options(quick: boolean): { load: Omit<LoadRunOptions, 'seed'>; fuzzRequests: number } {
  return {
    load: {
      loadMs: quick ? 60_000 : 300_000,
      settleMs: quick ? 240_000 : 300_000,
      stormMs: quick ? 20_000 : 60_000,
      downMs: 5000,
      load: { eventsPerS: 20, paidShare: 0.75, remarkShare: 0.5, reshipEveryMs: quick ? 5000 : 15_000 },
    },
    fuzzRequests: quick ? 1000 : 10_000,
  };
}

function parseOnly(text: string | undefined): RunName[] {
  if (!text) return [...RUNS];
  const names = text.split(',').map((s) => s.trim());
  for (const n of names) if (!RUNS.includes(n as RunName)) throw new Error(`--only: unknown run "${n}" (one of ${RUNS.join(', ')})`);
  return names as RunName[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } }, strict: true });
  const quick = values.quick ?? false;
  const only = parseOnly(values.only);
  const o = options(quick);
  log('starting private MariaDB and Redis');
  const servers: Servers = { mariadb: await startPrivateMariadb('kefu_faults'), redis: await startPrivateRedis() };
  const results: (LoadRunResult | FuzzResult)[] = [];
  const failures: { run: string; error: string }[] = [];
  let mariadbVersion = 'unknown';
  try {
    mariadbVersion = await serverVersion(servers.mariadb.url);
    for (const [i, name] of only.entries()) {
      try {
        results.push(await oneRun(name, servers, o, 100 + i));
      } catch (err) {
        // A run that could not finish is a result too; the next run still gets its chance.
        log(`run ${name} failed: ${err instanceof Error ? err.stack : String(err)}`);
        failures.push({ run: name, error: err instanceof Error ? err.message.slice(0, 2000) : String(err) });
      }
    }
  } finally {
    await servers.redis.destroy();
    await servers.mariadb.destroy();
  }
  // A subset of the runs gets its own file, so trying one run never overwrites the figures of all four.
  const subset = only.length < RUNS.length ? `-${only.join('-')}` : '';
  const file = `bench/results/faults${quick ? '-quick' : ''}${subset}.json`;
  const out = {
    bench: 'faults',
    quick,
    runs: only,
    conditions: {
      load: `${o.load.load.eventsPerS} Kuaishou events/s offered (placements and payments, ${o.load.load.paidShare * 100}% paid) for ${o.load.loadMs / 1000} s; ship-date remark asked on ${o.load.load.remarkShare * 100}% of paid orders; a reship every ${o.load.load.reshipEveryMs / 1000} s; orders left unpaid get one reminder after 1 min`,
      kefuBridge: 'node dist/src/main.js: one --role=api process (webhooks + API) and two --role=worker processes (one for fuzz), NODE_ENV=production; rules.scan and reships.track ticks every 10 s',
      servers: 'private MariaDB and Redis started by the script on free ports (Redis without persistence)',
      targets: 'nothing lost, nothing done twice, recovery ≤ 30 s after each fault, no crash and no 5xx from bad input',
    },
    results,
    failures,
    allMet: failures.length === 0 && results.every((r) => Object.values(r.met).every(Boolean)),
    machine: { ...machine(), mariadb: mariadbVersion },
    commit: commit(),
    uncommittedChanges: uncommitted(),
    at: new Date().toISOString(),
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(summary(results, failures, file));
  process.exitCode = out.allMet ? 0 : 1;
}

/** Files of the service that differ from the commit: the figures are of the work tree as built. */
function uncommitted(): string[] {
  try {
    return execFileSync('git', ['status', '--porcelain', '--', 'src', 'config', 'migrations'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

function oneRun(name: RunName, servers: Servers, o: ReturnType<typeof options>, seed: number): Promise<LoadRunResult | FuzzResult> {
  const opts: LoadRunOptions = { ...o.load, seed };
  switch (name) {
    case 'kill':
      return runKill(servers, opts, log);
    case 'restarts':
      return runRestarts(servers, opts, log);
    case 'platform':
      return runPlatform(servers, opts, log);
    case 'fuzz':
      return runFuzz(servers, { requests: o.fuzzRequests, seed, concurrency: 16 }, log);
  }
}

const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const nonZero = (r: Record<string, number>) =>
  Object.entries(r)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'none';

function summary(results: (LoadRunResult | FuzzResult)[], failures: { run: string; error: string }[], file: string): string {
  const lines = [`kefu-bridge fault runs → ${file}`];
  for (const r of results) {
    if (r.run === 'fuzz') {
      const f = r;
      lines.push(
        `fuzz      ${f.requests} requests: 5xx ${f.fiveXx}, unanswered ${f.noAnswer} (${mark(f.met.no5xx)}); api ${f.apiProcess.exited ? 'exited' : 'alive'}, peak RSS ${f.apiProcess.peakRssMb} MB (${mark(f.met.noCrash)}); ` +
          `rejections counted ${f.inbound.countedRejections}/${f.inbound.refusedByReceivers} (${mark(f.met.rejectionsCounted)}); normal order afterwards ${f.afterwards.seconds ?? '—'} s (${mark(f.met.normalOrderAfterwards)})`,
      );
      continue;
    }
    const l = r;
    const rec = l.recovery.map((x) => `${x.fault} ${x.seconds ?? '—'} s`).join('; ');
    lines.push(
      `${l.run.padEnd(9)} ${l.load.ordersPlaced} orders: lost ${sum(l.lost)} (${nonZero(l.lost)}), doubled ${sum(l.doubled)} (${nonZero(l.doubled)}) (${mark(l.met.exactlyOnce)}); ` +
        `recovery ${rec} (${mark(l.met.recoveryWithin30s)}); crashes ${l.unexpectedExits.length} (${mark(l.met.noCrash)}); drained ${l.settle.drained ? `in ${l.settle.seconds} s` : 'NO'}`,
    );
  }
  for (const f of failures) lines.push(`${f.run.padEnd(9)} FAILED: ${f.error.split('\n')[0]}`);
  return `${lines.join('\n')}\n`;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
