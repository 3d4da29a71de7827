/**
 * `npm run demo`: the platform sandbox and kefu-bridge on the embedded default, one shop per platform,
 * a scenario that exercises every rule, a simulated day, and a summary read from kefu-bridge's API.
 *
 *   --once                exit after the summary: 0 when everything expected was seen, 1 otherwise
 *   --port <n>            kefu-bridge's port (default 3000, or any free port when taken; 0 = any)
 *   --sandbox-port <n>    the sandbox's port (default 4100, likewise)
 *
 * The last line of output is `DEMO_SUMMARY {json}` for scripts.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { checks, gatherFigures, report, type DemoCheck, type DemoFigures } from './demo-summary.js';
import { DemoStory } from './demo-story.js';
import { startDemoWorld, type DemoWorld } from './demo-world.js';
import { freePort } from './free-port.js';

const HOUR = 3_600_000;
/** The day moves in half-hour steps; 36 h is enough for 24 h stalls, their chase, and a reship shipped. */
const STEP_MS = HOUR / 2;
const MAX_SIMULATED_MS = 36 * HOUR;
/** Marketplace orders of the scenario that the platforms list to kefu-bridge. */
const SCENARIO_ORDERS = 11;

function options(): { once: boolean; port: number; sandboxPort: number } {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { once: { type: 'boolean', default: false }, port: { type: 'string', default: '3000' }, 'sandbox-port': { type: 'string', default: '4100' } },
    strict: true,
  });
  const port = (name: string, v: string) => {
    if (!/^\d+$/.test(v) || Number(v) > 65535) throw new Error(`--${name} must be a port number (got "${v}")`);
    return Number(v);
  };
  return { once: values.once, port: port('port', values.port), sandboxPort: port('sandbox-port', values['sandbox-port']) };
}

async function runDay(w: DemoWorld, story: DemoStory): Promise<{ figures: DemoFigures; results: DemoCheck[] }> {
  say('connecting shops done; kefu-bridge is polling the platforms…');
  await story.ingestAll(SCENARIO_ORDERS);
  say('orders in; agents ask for remarks and a manager types into the seller console…');
  await story.morning();
  say('running the clock forward (half an hour per step)…');
  let figures = await gatherFigures(w.people.operator, w.shops);
  let results = checks(figures);
  while (story.simulatedMs < MAX_SIMULATED_MS && results.some((c) => !c.ok)) {
    await story.step(STEP_MS);
    await story.reshipWhenChased();
    figures = await gatherFigures(w.people.operator, w.shops);
    results = checks(figures);
  }
  return { figures, results };
}

function say(text: string): void {
  process.stdout.write(`demo: ${text}\n`);
}

async function main(): Promise<void> {
  const opts = options();
  const started = Date.now();
  const ports = { api: await freePort(opts.port), sandbox: await freePort(opts.sandboxPort) };
  say(`starting the platform sandbox and kefu-bridge (SQLite in a temporary folder, in-process queue)…`);
  const w = await startDemoWorld(ports);
  let stopping = false;
  const stop = async (code: number, keepData = false) => {
    if (stopping) process.exit(130);
    stopping = true;
    await w.close(keepData).catch(() => undefined);
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  try {
    const story = new DemoStory(w);
    const { figures, results } = await runDay(w, story);
    const ok = results.every((c) => c.ok);
    const at = { url: w.url, sandboxUrl: w.sb.url, token: w.people.operator.token, logFile: w.logFile, simulatedHours: Math.round((story.simulatedMs / HOUR) * 10) / 10, seconds: Math.round((Date.now() - started) / 1000), once: opts.once };
    process.stdout.write(`${report(figures, results, at)}\n`);
    const missing = results.filter((c) => !c.ok).map((c) => c.name);
    process.stdout.write(`DEMO_SUMMARY ${JSON.stringify({ ok, missing, seconds: at.seconds, simulatedHours: at.simulatedHours, url: w.url, ...figures })}\n`);
    if (opts.once) await stop(ok ? 0 : 1);
  } catch (err) {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n(kefu-bridge's log, kept: ${w.logFile})\n`);
    await stop(1, true);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
