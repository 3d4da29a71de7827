import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig, type Env } from '../../src/config/config.loader.js';

const dataDir = mkdtempSync(join(tmpdir(), 'kefu-config-'));
const base: Env = { NODE_ENV: 'test', KEFU_DATA_DIR: dataDir };
const KEY = Buffer.alloc(32, 7).toString('base64');

function problemsOf(env: Env, overrides?: Record<string, unknown>): string[] {
  try {
    loadConfig({ env: { ...base, ...env }, overrides });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('loads the embedded default with the playbook defaults', () => {
    const c = loadConfig({ env: base });
    expect(c.database).toMatchObject({ driver: 'sqlite', url: join(dataDir, 'kefu.sqlite') });
    expect(c.queue.driver).toBe('memory');
    expect(c.role).toBe('both');
    expect(c.logistics.thresholdsHours).toEqual({ zone1: 24, zone2: 48, zone3: 48, notCollected: 24 });
    expect(c.unpaid.quietHours).toEqual({ start: '22:00', end: '08:00' });
    expect(c.remarks.flags.reship).toBe('red');
    expect(c.logistics.warehouses.default.zones['3']).toContain('新疆维吾尔自治区');
    expect(c.security.masterKey.key).toHaveLength(32);
  });

  it('covers all 31 mainland provinces in the default zone table, each once', () => {
    const zones = loadConfig({ env: base }).logistics.warehouses.default.zones;
    const all = Object.values(zones).flat();
    expect(all).toHaveLength(31);
    expect(new Set(all).size).toBe(31);
  });

  it('takes MySQL and Redis from the environment', () => {
    const c = loadConfig({ env: { ...base, DATABASE_URL: 'mariadb://u:p@db:3306/kefu', REDIS_URL: 'redis://r:6379', KEFU_ROLE: 'worker' } });
    expect(c.database).toMatchObject({ driver: 'mysql', url: 'mysql://u:p@db:3306/kefu' });
    expect(c.queue).toMatchObject({ driver: 'redis', redisUrl: 'redis://r:6379' });
    expect(c.role).toBe('worker');
  });

  it('names DATABASE_URL when its scheme is unknown', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://db/kefu' })).toEqual([
      'DATABASE_URL: unsupported scheme "postgres:" (use mysql:// or sqlite:<file>, or leave it unset for the embedded SQLite)',
    ]);
  });

  it('names REDIS_URL, KEFU_ROLE and PORT when they are wrong', () => {
    const problems = problemsOf({ REDIS_URL: 'amqp://mq', KEFU_ROLE: 'scheduler', PORT: 'eighty' });
    expect(problems.some((p) => p.startsWith('REDIS_URL:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('KEFU_ROLE:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('PORT:'))).toBe(true);
  });

  it('requires the master key in production, and checks its length', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual(['KEFU_MASTER_KEY: required when NODE_ENV=production (32 bytes, base64)']);
    expect(problemsOf({ NODE_ENV: 'production', KEFU_MASTER_KEY: 'c2hvcnQ=' })[0]).toMatch(/^KEFU_MASTER_KEY: must be 32 bytes/);
    expect(loadConfig({ env: { ...base, NODE_ENV: 'production', KEFU_MASTER_KEY: KEY } }).security.masterKey.id).toBe('k1');
  });

  it('names the YAML path of a bad rule value from the override file', () => {
    const file = join(dataDir, 'bad.yaml');
    writeFileSync(file, 'logistics:\n  thresholdsHours:\n    zone1: 0\nunpaid:\n  quietHours:\n    start: "25:00"\n');
    const problems = problemsOf({ KEFU_CONFIG_FILE: file });
    expect(problems).toContain('config logistics.thresholdsHours.zone1: must not be less than 1');
    expect(problems.some((p) => p.startsWith('config unpaid.quietHours.start:'))).toBe(true);
  });

  it('merges an override file key by key over the defaults', () => {
    const file = join(dataDir, 'good.yaml');
    writeFileSync(file, 'logistics:\n  thresholdsHours:\n    zone1: 36\n');
    const c = loadConfig({ env: { ...base, KEFU_CONFIG_FILE: file } });
    expect(c.logistics.thresholdsHours).toEqual({ zone1: 36, zone2: 48, zone3: 48, notCollected: 24 });
  });

  it('says when the override file is missing or not YAML', () => {
    expect(problemsOf({ KEFU_CONFIG_FILE: join(dataDir, 'nope.yaml') })[0]).toMatch(/^KEFU_CONFIG_FILE: file not found/);
    const file = join(dataDir, 'broken.yaml');
    writeFileSync(file, 'a: [1, 2\n');
    expect(problemsOf({ KEFU_CONFIG_FILE: file })[0]).toMatch(/^KEFU_CONFIG_FILE: not valid YAML/);
  });
});
