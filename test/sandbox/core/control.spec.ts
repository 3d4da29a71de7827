import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';

const EXAMPLE = fileURLToPath(new URL('../scenarios/example.yaml', import.meta.url));
let sb: RunningSandbox;

/** The fields of control answers the tests read (each endpoint fills some of them). */
interface Answer {
  ok: boolean;
  prefixes: string[];
  orderIds: string[];
  memoHistory: { by: string }[];
  status: string;
  problems: string[];
  byMethod: Record<string, number>;
  byOutcome: Record<string, number>;
  now: number;
  code: string;
  errorRate: number;
}

async function call<T = Answer>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${sb.url}${path}`, { method, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as T };
}

async function kd100Query(num: string): Promise<{ returnCode?: string; message?: string }> {
  const param = JSON.stringify({ com: 'zhongtong', num });
  const sign = createHash('md5').update(param + 'kd100-key' + 'CUST0001').digest('hex').toUpperCase();
  const res = await fetch(`${sb.url}/kuaidi100/poll/query.do`, { method: 'POST', body: new URLSearchParams({ customer: 'CUST0001', param, sign }) });
  return (await res.json()) as { returnCode?: string; message?: string };
}

beforeAll(async () => {
  sb = await startSandbox({ seed: 9, autoTick: false });
});

afterAll(async () => {
  await sb.close();
});

describe('control endpoints', () => {
  it('reports health with every platform prefix', async () => {
    const { json } = await call('GET', '/_sandbox/health');
    expect(json.ok).toBe(true);
    expect(json.prefixes).toEqual(['/taobao', '/pinduoduo', '/kuaishou', '/jushuitan', '/kuaidi100']);
  });

  it('loads a YAML scenario and shows orders with memo history and their ERP copy', async () => {
    const { status, json } = await call('POST', '/_sandbox/scenario', readFileSync(EXAMPLE, 'utf8'));
    expect(status).toBe(200);
    expect(json.orderIds).toHaveLength(7);
    const order = (await call('GET', `/_sandbox/orders/taobao/${json.orderIds[6]}`)).json;
    expect(order.memoHistory[0].by).toBe('human:店长');
    const erp = (await call<{ oId: string }[]>('GET', `/_sandbox/erp/orders?soId=${json.orderIds[6]}`)).json;
    expect(erp).toHaveLength(1);
    expect((await call('GET', `/_sandbox/erp/orders/${erp[0].oId}`)).json.status).toBe('Question');
    const memo = await call('POST', `/_sandbox/orders/taobao/${json.orderIds[0]}/memo`, { text: '改发顺丰', by: '小李' });
    expect(memo.json.memoHistory.at(-1)?.by).toBe('human:小李');
  });

  it('answers a bad scenario with 400 and the field', async () => {
    const { status, json } = await call('POST', '/_sandbox/scenario', 'orders:\n  - { platform: ebay }');
    expect(status).toBe(400);
    expect(json.problems.join('\n')).toMatch(/orders\[0\]\.platform/);
  });

  it('switches faults per service on and off', async () => {
    await call('PUT', '/_sandbox/faults/kuaidi100', {});
    expect((await kd100Query('78000000000001')).message).toBe('ok');
    const put = await call('PUT', '/_sandbox/faults/kuaidi100', { errorRate: 1 });
    expect(put.json).toEqual({ errorRate: 1 });
    expect((await call('GET', '/_sandbox/faults/kuaidi100')).json).toEqual({ errorRate: 1 });
    expect((await kd100Query('78000000000001')).returnCode).toBe('501');
    await call('PUT', '/_sandbox/faults/kuaidi100', { rateLimitStormUntil: sb.clock.now() + 60_000 });
    expect((await kd100Query('78000000000001')).returnCode).toBe('502');
    await call('POST', '/_sandbox/clock/advance', { ms: 61_000 });
    expect((await kd100Query('78000000000001')).message).toBe('ok');
    expect((await call('GET', '/_sandbox/faults/pdd')).status).toBe(400);
  });

  it('counts calls per platform, method and outcome', async () => {
    const { json } = await call('GET', '/_sandbox/calls');
    expect(json.byMethod['kuaidi100 poll/query.do']).toBeGreaterThanOrEqual(4);
    expect(json.byOutcome['kuaidi100 501']).toBe(1);
  });

  it('advances the clock and runs what became due', async () => {
    const before = (await call('GET', '/_sandbox/clock')).json.now;
    const { json } = await call('POST', '/_sandbox/clock/advance', { ms: 4 * 86_400_000 });
    expect(json.now - before).toBeGreaterThanOrEqual(4 * 86_400_000);
    const unpaidId = sb.world.orders({ platform: 'taobao', stages: ['closed_unpaid'] });
    expect(unpaidId).toHaveLength(1);
    expect((await call('POST', '/_sandbox/clock/advance', { ms: -1 })).status).toBe(400);
  });

  it('issues single-use auth codes and expires tokens on demand', async () => {
    const { json } = await call('POST', '/_sandbox/auth/code', { platform: 'taobao', shopId: '2200001' });
    expect(sb.world.takeAuthCode('taobao', json.code)?.shopId).toBe('2200001');
    expect(sb.world.takeAuthCode('taobao', json.code)).toBeUndefined();
    expect(sb.world.tokenLookup('taobao', 'tb-session-1')?.state).toBe('valid');
    await call('POST', '/_sandbox/tokens/expire', { platform: 'taobao', shopId: '2200001' });
    expect(sb.world.tokenLookup('taobao', 'tb-session-1')?.state).toBe('expired');
    expect((await call('POST', '/_sandbox/auth/code', { platform: 'taobao', shopId: 'nope' })).status).toBe(400);
  });
});
