/** Starts kefu-bridge as real child processes (the built dist/), the way operators run it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot, type Env } from '../../src/config/config.loader.js';

export interface ServiceProcess {
  child: ChildProcess;
  pid: number;
  lines: string[];
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export function startService(env: Env, args: string[] = []): ServiceProcess {
  return startScript(['dist', 'src', 'main.js'], env, args);
}

/** Any built entrypoint (path parts under the project root), e.g. a CLI. */
export function startScript(path: string[], env: Env, args: string[] = []): ServiceProcess {
  const child = spawn(process.execPath, [join(projectRoot(), ...path), ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (buf: Buffer) => lines.push(...buf.toString('utf8').split('\n').filter(Boolean));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    pid: child.pid!,
    lines,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Waits until the process logs a line containing `text` (or exits first). */
export async function waitForLine(p: ServiceProcess, text: string, timeoutMs = 30000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const hit = p.lines.find((l) => l.includes(text));
    if (hit) return hit;
    if (p.child.exitCode !== null) throw new Error(`process exited (${p.child.exitCode}) before "${text}":\n${p.lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no "${text}" within ${timeoutMs} ms:\n${p.lines.join('\n')}`);
}
