/** `npm start` as operators run it: the built service in a process of its own. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startService, waitForLine, type ServiceProcess } from '../support/processes.js';
import { backend, freshBackend, type TestBackend } from '../support/test-env.js';

describe(`the service process (${backend.label})`, () => {
  let tb: TestBackend;
  let svc: ServiceProcess;
  let url = '';

  beforeAll(async () => {
    tb = await freshBackend();
    svc = startService({ ...tb.env, PORT: '0', LOG_LEVEL: 'info' });
    const started = JSON.parse(await waitForLine(svc, 'kefu-bridge started')) as { url: string };
    url = started.url;
  }, 60000);

  afterAll(async () => {
    await svc.stop('SIGTERM');
    await tb.dispose();
  });

  it('serves /health with the configured database and queue', async () => {
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, { status?: string; driver?: string } | string>;
    expect(body.status).toBe('ok');
    expect(body.database).toMatchObject({ status: 'ok', driver: backend.mysqlUrl ? 'mysql' : 'sqlite' });
    expect(body.queue).toMatchObject({ status: 'ok', driver: backend.redisUrl ? 'redis' : 'memory' });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
  });

  it('logs JSON lines without the master key or the database password', () => {
    const lines = svc.lines.filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
    expect(svc.lines.join('\n')).not.toContain(tb.env.KEFU_MASTER_KEY!);
  });

  it('exits 0 on SIGTERM after closing', async () => {
    expect(await svc.stop('SIGTERM')).toBe(0);
    expect(svc.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  });
});

describe('bad configuration stops start-up', () => {
  it('names an unknown DATABASE_URL scheme and exits 78', async () => {
    const p = startService({ NODE_ENV: 'test', DATABASE_URL: 'postgres://db/kefu' });
    expect(await p.exited).toBe(78);
    expect(p.lines.join('\n')).toContain('DATABASE_URL: unsupported scheme "postgres:"');
  });

  it('names the missing master key in production', async () => {
    const p = startService({ NODE_ENV: 'production' });
    expect(await p.exited).toBe(78);
    expect(p.lines.join('\n')).toContain('KEFU_MASTER_KEY: required when NODE_ENV=production');
  });
});
