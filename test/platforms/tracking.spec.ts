import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { PlatformError } from '../../src/platforms/errors.js';
import { TrackingState } from '../../src/platforms/ports/canonical.types.js';
import { TrackingClient } from '../../src/platforms/tracking/tracking.client.js';
import { translateKd100Error } from '../../src/platforms/tracking/tracking.errors.js';
import { decodeKd100Push, KD100_PUSH_ACK } from '../../src/platforms/tracking/tracking.push.js';
import { signKd100Callback, signKd100Query } from '../../src/platforms/tracking/tracking.sign.js';
import { FakePlatformServer } from './support/fake-platform.server.js';

const md5Upper = (s: string) => createHash('md5').update(s, 'utf8').digest('hex').toUpperCase();

const LAST_RESULT = {
  message: 'ok',
  state: '0',
  status: '200',
  ischeck: '0',
  com: 'zhongtong',
  nu: '78812345678',
  data: [
    { context: '【深圳市】快件已到达 深圳转运中心', time: '2026-11-23 08:00:00', ftime: '2026-11-23 08:00:00' },
    { context: '【广州市】快递员已揽收', time: '2026-11-22 18:00:00', ftime: '2026-11-22 18:00:00' },
  ],
};

describe('Kuaidi100 signing', () => {
  it('query sign = UPPER(MD5(param + key + customer))', () => {
    const param = '{"com":"zhongtong","num":"78812345678"}';
    expect(signKd100Query(param, 'KEY1', 'CUST1')).toBe(md5Upper(`${param}KEY1CUST1`));
    expect(signKd100Query(param, 'KEY1', 'CUST1')).toMatch(/^[0-9A-F]{32}$/);
  });
  it('callback sign = UPPER(MD5(param + salt)), order matters', () => {
    expect(signKd100Callback('{"a":1}', 'salt-1')).toBe(md5Upper('{"a":1}salt-1'));
    expect(signKd100Callback('{"a":1}', 'salt-1')).not.toBe(md5Upper('salt-1{"a":1}'));
  });
});

describe('Kuaidi100 push', () => {
  const param = JSON.stringify({ status: 'polling', message: '', lastResult: LAST_RESULT });
  it('verifies the signature and decodes newest-first events', () => {
    const push = decodeKd100Push({ param, sign: signKd100Callback(param, 's4lt') }, 's4lt');
    expect(push.result).toMatchObject({ carrierCode: 'zhongtong', trackingNo: '78812345678', state: TrackingState.IN_TRANSIT, signed: false });
    expect(push.result.events[0].description).toContain('深圳转运中心');
    expect(push.resubscribeAfterMs).toBeNull();
    expect(JSON.parse(KD100_PUSH_ACK)).toEqual({ result: true, returnCode: '200', message: '成功' });
  });
  it('rejects a push signed with another salt', () => {
    expect(() => decodeKd100Push({ param, sign: signKd100Callback(param, 'other') }, 's4lt')).toThrow(/signature/);
  });
  it('asks for a resubscription after an abort', () => {
    const abort = JSON.stringify({ status: 'abort', message: '3天查询无记录', lastResult: { ...LAST_RESULT, data: [] } });
    expect(decodeKd100Push({ param: abort, sign: signKd100Callback(abort, 's') }, 's').resubscribeAfterMs).toBe(30 * 60_000);
  });
  it.each([
    ['3', TrackingState.SIGNED],
    ['1', TrackingState.COLLECTED],
    ['2', TrackingState.PROBLEM],
    ['14', TrackingState.REJECTED],
  ])('state %s → %s', (state, expected) => {
    const p = JSON.stringify({ status: 'polling', lastResult: { ...LAST_RESULT, state } });
    expect(decodeKd100Push({ param: p, sign: signKd100Callback(p, 's') }, 's').result.state).toBe(expected);
  });
});

describe('Kuaidi100 errors', () => {
  it.each([
    ['400', 'INVALID_REQUEST'],
    ['500', 'NOT_FOUND'],
    ['503', 'PERMANENT'],
    ['601', 'PERMANENT'],
  ])('%s → %s', (code, expected) => {
    expect(translateKd100Error(code, 'x').code).toBe(expected);
  });
});

describe('TrackingClient over HTTP', () => {
  const server = new FakePlatformServer();
  let client: TrackingClient;
  beforeAll(async () => {
    await server.start();
    client = new TrackingClient({ baseUrl: `${server.baseUrl}/kuaidi100`, customer: 'CUST1', key: 'kd-key-123' });
  });
  afterAll(async () => server.stop());

  it('posts a signed query and maps the trace', async () => {
    server.reply({ body: JSON.stringify(LAST_RESULT) });
    const res = await client.query({ carrierCode: 'ZhongTong', trackingNo: '78812345678' });
    const req = server.last();
    expect(req.path).toBe('/kuaidi100/poll/query.do');
    expect(JSON.parse(req.form.param)).toEqual({ com: 'zhongtong', num: '78812345678' });
    expect(req.form.customer).toBe('CUST1');
    expect(req.form.sign).toBe(signKd100Query(req.form.param, 'kd-key-123', 'CUST1'));
    expect(res.events).toHaveLength(2);
  });

  it('subscribes with callback url and salt', async () => {
    server.reply({ body: JSON.stringify({ result: true, returnCode: '200', message: '提交成功' }) });
    await client.subscribe({ carrierCode: 'zhongtong', trackingNo: '78812345678', callbackUrl: 'https://kb.example/hooks/tracking', salt: 's4lt' });
    const req = server.last();
    expect(req.path).toBe('/kuaidi100/poll');
    expect(req.form.schema).toBe('json');
    expect(JSON.parse(req.form.param)).toEqual({ company: 'zhongtong', number: '78812345678', key: 'kd-key-123', parameters: { callbackurl: 'https://kb.example/hooks/tracking', salt: 's4lt' } });
  });

  it('turns a returnCode failure into a PlatformError without the key', async () => {
    server.reply({ body: JSON.stringify({ result: false, returnCode: '503', message: '验证签名失败 kd-key-123' }) });
    const e = (await client.query({ carrierCode: 'zhongtong', trackingNo: '1' }).catch((x: unknown) => x)) as PlatformError;
    expect(e.code).toBe('PERMANENT');
    expect(e.message).not.toContain('kd-key-123');
  });
});
