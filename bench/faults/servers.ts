/**
 * Private MariaDB and Redis servers for the fault runs: each on a free port with its own directory under
 * the system's temporary folder, so killing and restarting them never touches the machine's shared
 * servers. `kill()` is SIGKILL (a crash); `start()` brings the server back on the same data and port.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort } from '../../src/demo/free-port.js';
import { sleep } from '../bench-env.js';

export interface PrivateServer {
  name: string;
  url: string;
  /** Starts the server (again) on the same data directory and port; resolves once it answers. */
  start(): Promise<void>;
  /** SIGKILL, as a crash; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>;
}

const MARIADBD = '/usr/sbin/mariadbd';
const live = new Set<ChildProcess>();
const dirs = new Set<string>();
// A failed or interrupted run must not leave servers or their files behind.
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

function ownDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

function launch(cmd: string, args: string[], log: string[]): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (b: Buffer) => {
    log.push(...b.toString('utf8').split('\n').filter(Boolean));
    if (log.length > 100) log.splice(0, log.length - 50);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

async function killChild(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await gone;
  clearTimeout(timer);
}

async function until(what: string, ready: () => Promise<boolean>, child: () => ChildProcess | undefined, log: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const c = child();
    if (c && (c.exitCode !== null || c.signalCode !== null)) throw new Error(`${what} exited:\n${log.join('\n')}`);
    if (await ready()) return;
    await sleep(100);
  }
  throw new Error(`${what} did not answer within ${timeoutMs} ms:\n${log.join('\n')}`);
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.on('error', () => done(false));
    s.on('data', (d) => done(d.toString().startsWith('+PONG')));
    s.on('connect', () => s.write('PING\r\n'));
  });
}

export async function startPrivateRedis(): Promise<PrivateServer> {
  const dir = ownDir('kefu-faults-redis-');
  const port = await freePort(0);
  const log: string[] = [];
  let child: ChildProcess | undefined;
  const server: PrivateServer = {
    name: 'redis',
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = launch('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'], log);
      await until('redis-server', () => redisPing(port), () => child, log);
    },
    kill: () => killChild(child, 'SIGKILL'),
    async destroy() {
      await killChild(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

async function mariadbAnswers(port: number): Promise<boolean> {
  try {
    const c = await createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
    await c.query('SELECT 1');
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export async function startPrivateMariadb(database: string): Promise<PrivateServer> {
  const dir = ownDir('kefu-faults-mariadb-');
  const data = join(dir, 'data');
  execFileSync('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', `--user=${userInfo().username}`, '--skip-test-db'], { stdio: 'ignore' });
  const port = await freePort(0);
  const log: string[] = [];
  let child: ChildProcess | undefined;
  const args = [
    '--no-defaults',
    `--datadir=${data}`,
    `--socket=${join(dir, 'mariadb.sock')}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--skip-networking=0',
    `--user=${userInfo().username}`,
    `--pid-file=${join(dir, 'mariadb.pid')}`,
    '--innodb-buffer-pool-size=256M',
    '--max-connections=500',
  ];
  const server: PrivateServer = {
    name: 'mariadb',
    url: `mysql://root@127.0.0.1:${port}/${database}`,
    async start() {
      child = launch(MARIADBD, args, log);
      await until('mariadbd', () => mariadbAnswers(port), () => child, log, 120_000);
    },
    kill: () => killChild(child, 'SIGKILL'),
    async destroy() {
      await killChild(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
