import { describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig, type Env } from '../../src/config/config.loader.js';
import type { CarrierCodesConfig } from '../../src/config/config.schema.js';
import { serviceCarrierCode } from '../../src/orders/tracking-carriers.js';

const base: Env = { NODE_ENV: 'test', KEFU_DATA_DIR: mkdtempSync(join(tmpdir(), 'kefu-tracking-config-')) };

describe('carrier-tracking configuration', () => {
  it('takes the Kuaidi100 account from the environment, and the sandbox URL moves only the endpoint', () => {
    const env = { ...base, KEFU_KUAIDI100_CUSTOMER: 'CUST9', KEFU_KUAIDI100_KEY: 'key-9' };
    expect(loadConfig({ env }).platforms.tracking).toMatchObject({ baseUrl: 'https://poll.kuaidi100.com', customer: 'CUST9', key: 'key-9' });
    const sandboxed = loadConfig({ env: { ...env, KEFU_SANDBOX_URL: 'http://127.0.0.1:4100/' } }).platforms.tracking;
    expect(sandboxed).toMatchObject({ baseUrl: 'http://127.0.0.1:4100/kuaidi100', customer: 'CUST9', key: 'key-9', queriesPerWaybillPerDay: 40 });
    expect(sandboxed.carriers.kuaishou['9']).toBe('zhongtong');
  });

  it('keeps account keys from a YAML override when only the sandbox URL is set', () => {
    const c = loadConfig({ env: { ...base, KEFU_SANDBOX_URL: 'http://127.0.0.1:4100' }, overrides: { platforms: { tracking: { customer: 'Y1', key: 'yk' } } } });
    expect(c.platforms.tracking).toMatchObject({ baseUrl: 'http://127.0.0.1:4100/kuaidi100', customer: 'Y1', key: 'yk' });
  });

  it('names the key of a bad tracking setting', () => {
    let problems: string[] = [];
    try {
      loadConfig({ env: base, overrides: { platforms: { tracking: { queriesPerWaybillPerDay: 0, baseUrl: 'poll.kuaidi100.com' } } } });
    } catch (err) {
      if (err instanceof ConfigError) problems = err.problems;
    }
    expect(problems.some((p) => p.startsWith('config platforms.tracking.queriesPerWaybillPerDay'))).toBe(true);
    expect(problems.some((p) => p.startsWith('config platforms.tracking.baseUrl'))).toBe(true);
  });
});

describe('carrier codes for the tracking service', () => {
  const tables: CarrierCodesConfig = { names: { 中通: 'zhongtong', 中通快运: 'zhongtongkuaiyun', 顺丰: 'shunfeng' }, kuaishou: { '9': 'zhongtong' }, pinduoduo: { '115': 'zhongtong' } };

  it('maps each marketplace\'s own code, keeps a code the service already speaks, and reads Taobao\'s company name', () => {
    expect(serviceCarrierCode('kuaishou', { carrierCode: '9', carrierName: null }, tables)).toBe('zhongtong');
    expect(serviceCarrierCode('pinduoduo', { carrierCode: '115', carrierName: null }, tables)).toBe('zhongtong');
    expect(serviceCarrierCode('taobao', { carrierCode: 'yunda', carrierName: null }, tables)).toBe('yunda');
    expect(serviceCarrierCode('taobao', { carrierCode: null, carrierName: '顺丰速运' }, tables)).toBe('shunfeng');
    expect(serviceCarrierCode('taobao', { carrierCode: null, carrierName: '中通快运' }, tables)).toBe('zhongtongkuaiyun');
  });

  it('knows nothing of an unlisted numeric code or name', () => {
    expect(serviceCarrierCode('kuaishou', { carrierCode: '9999', carrierName: '其他' }, tables)).toBeNull();
    expect(serviceCarrierCode('taobao', { carrierCode: '', carrierName: null }, tables)).toBeNull();
  });
});
