/**
 * Test backends. The suite runs unchanged on the embedded default (SQLite + in-process queue) and,
 * when DATABASE_URL / REDIS_URL are set, on MariaDB + Redis: each test file gets its own fresh
 * database and queue prefix, and drops them afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { loadConfig, type Env } from '../../src/config/config.loader.js';
import type { AppConfig } from '../../src/config/config.schema.js';

export const backend = {
  mysqlUrl: process.env.DATABASE_URL,
  redisUrl: process.env.REDIS_URL,
  get label(): string {
    return `${this.mysqlUrl ? 'mysql' : 'sqlite'}+${this.redisUrl ? 'redis' : 'memory'}`;
  },
};

export interface TestBackend {
  env: Env;
  config: AppConfig;
  dataDir: string;
  /** Drops the database and removes temporary files. */
  dispose(): Promise<void>;
}

/** A fresh database (and queue prefix) for one test file. */
export async function freshBackend(extraEnv: Env = {}, overrides: Record<string, unknown> = {}): Promise<TestBackend> {
  const tag = randomBytes(4).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-test-'));
  const env: Env = {
    NODE_ENV: 'test',
    KEFU_DATA_DIR: dataDir,
    KEFU_MASTER_KEY: randomBytes(32).toString('base64'),
    KEFU_MASTER_KEY_ID: 'test1',
    KEFU_QUEUE_PREFIX: `kefu_test_${tag}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    ...extraEnv,
  };
  let dropDb: (() => Promise<void>) | undefined;
  if (backend.mysqlUrl) {
    const base = new URL(backend.mysqlUrl);
    const dbName = `${base.pathname.slice(1) || 'kefu_test'}_${tag}`;
    const admin = await createConnection({ uri: withDb(base, '') });
    await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    env.DATABASE_URL = withDb(base, dbName);
    dropDb = async () => {
      const c = await createConnection({ uri: withDb(base, '') });
      await c.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
      await c.end();
    };
  }
  if (backend.redisUrl) env.REDIS_URL = backend.redisUrl;
  const config = loadConfig({ env, overrides });
  return {
    env,
    config,
    dataDir,
    async dispose() {
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function withDb(base: URL, db: string): string {
  const u = new URL(base.toString());
  u.pathname = `/${db}`;
  return u.toString();
}
