/**
 * What the benchmarks stand on: a fresh MariaDB database, kefu-bridge started as real processes of the
 * built dist/ (so each has its own RSS), the first operator made by the users:create CLI, and the
 * machine's description for the results file.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { projectRoot } from '../src/config/config.loader.js';

export type Env = Record<string, string | undefined>;

export interface BridgeProcess {
  role: string;
  pid: number;
  child: ChildProcess;
  /** The latest output lines (bounded), for a failure message. */
  tail: string[];
  stop(): Promise<void>;
  /** Peak resident set size so far (VmHWM), in MB. */
  peakRssMb(): number;
}

export function startBridge(env: Env, role: 'both' | 'api' | 'worker'): BridgeProcess {
  const child = spawn(process.execPath, [...(process.env.BRIDGE_NODE_ARGS?.split(' ').filter(Boolean) ?? []), join(projectRoot(), 'dist', 'src', 'main.js'), `--role=${role}`], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const collect = (buf: Buffer) => {
    tail.push(...buf.toString('utf8').split('\n').filter(Boolean));
    if (tail.length > 200) tail.splice(0, tail.length - 100);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    role,
    pid: child.pid!,
    child,
    tail,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
    peakRssMb: () => statusKb(child.pid!, 'VmHWM') / 1024,
  };
}

function statusKb(pid: number, field: string): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
    return line ? Number(line.split(/\s+/)[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** Waits until GET /health answers 200 (database and queue reachable). */
export async function waitHealthy(url: string, p: BridgeProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null) throw new Error(`kefu-bridge (${p.role}) exited with ${p.child.exitCode}:\n${p.tail.join('\n')}`);
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`kefu-bridge (${p.role}) not healthy within ${timeoutMs} ms:\n${p.tail.join('\n')}`);
}

/** Waits until the process logs a line containing `text` (a worker serves no HTTP to ask). */
export async function waitForLine(p: BridgeProcess, text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.tail.some((l) => l.includes(text))) return;
    if (p.child.exitCode !== null) throw new Error(`kefu-bridge (${p.role}) exited with ${p.child.exitCode}:\n${p.tail.join('\n')}`);
    await sleep(100);
  }
  throw new Error(`kefu-bridge (${p.role}) logged no "${text}" within ${timeoutMs} ms:\n${p.tail.join('\n')}`);
}

/** The first operator, made as `npm run users:create` makes one; answers the API token. */
export function createOperator(env: Env): string {
  const out = execFileSync(process.execPath, [join(projectRoot(), 'dist', 'src', 'auth', 'users-create.cli.js'), '--name', '压测运营', '--roles', 'operator', '--agent', 'yy01'], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  const token = /API token, shown only now: (\S+)/.exec(out)?.[1];
  if (!token) throw new Error(`users:create printed no token:\n${out}`);
  return token;
}

/** Drops and creates the database named in the URL. */
export async function freshDatabase(url: string): Promise<void> {
  await onServer(url, async (name, q) => {
    await q(`DROP DATABASE IF EXISTS \`${name}\``);
    await q(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  });
}

export async function dropDatabase(url: string): Promise<void> {
  await onServer(url, (name, q) => q(`DROP DATABASE IF EXISTS \`${name}\``));
}

export async function serverVersion(url: string): Promise<string> {
  let version = 'unknown';
  await onServer(url, async (_name, q) => {
    const rows = (await q('SELECT VERSION() AS v')) as { v: string }[];
    version = rows[0]?.v ?? version;
  });
  return version;
}

async function onServer(url: string, fn: (name: string, q: (sql: string) => Promise<unknown>) => Promise<unknown>): Promise<void> {
  const db = new URL(url);
  const admin = await createConnection({ uri: `${db.protocol}//${db.username}${db.password ? ':' + db.password : ''}@${db.host}/` });
  try {
    await fn(db.pathname.slice(1), async (sql) => (await admin.query(sql))[0]);
  } finally {
    await admin.end();
  }
}

export function machine(): Record<string, unknown> {
  const cpu = cpus();
  return { cpus: cpu.length, model: cpu[0]?.model ?? 'unknown', ramGb: +(totalmem() / 2 ** 30).toFixed(1), node: process.version, platform: `${process.platform} ${process.arch}` };
}

export function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** The middle value; the mean of the two middle values for an even count; NaN for no values. */
export function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: number[], p: number): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
