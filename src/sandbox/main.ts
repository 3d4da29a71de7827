import { LoadGenerator } from './core/generator.js';
import { startSandbox } from './server.js';

function arg(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  if (eq) return eq.slice(name.length + 3);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** `shops=10,perMinute=2000` → { shops: 10, perMinute: 2000 } */
function parseGenerate(spec: string): { shops: number; perMinute: number } {
  const kv = Object.fromEntries(spec.split(',').map((p) => p.split('=').map((s) => s.trim())));
  const shops = Number(kv.shops ?? 10);
  const perMinute = Number(kv.perMinute ?? 2000);
  if (!(shops > 0) || !(perMinute > 0)) throw new Error(`--generate expects shops=N,perMinute=M, got "${spec}"`);
  return { shops, perMinute };
}

async function main(): Promise<void> {
  const port = Number(arg('port') ?? process.env.SANDBOX_PORT ?? 4100);
  const seed = Number(arg('seed') ?? 1);
  const sandbox = await startSandbox({ port, host: arg('host') ?? '127.0.0.1', seed, scenario: arg('scenario') });
  console.log(`kefu-bridge sandbox listening on ${sandbox.url} (seed ${seed})`);
  for (const m of sandbox.modules) console.log(`  ${sandbox.url}${m.prefix}  ${m.service}`);
  console.log(`  ${sandbox.url}/_sandbox/health  control`);
  const gen = arg('generate');
  if (gen) {
    const g = new LoadGenerator(sandbox.world, sandbox.ctx.schedule, { ...parseGenerate(gen), seed });
    g.start();
    console.log(`generating ${g.opts.perMinute} orders/min over ${g.opts.shops} shops`);
  }
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
