import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import type { DatabaseConfig } from '../config/config.schema.js';
import { ENTITIES } from './entities.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';
import { failQueriesOutsideTheirTransaction, takeTurnsOnSqlite } from './transactions.js';

/** DataSource options for the configured backend. Never `synchronize`: the schema is the migrations'. */
export function dataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: false,
  } as const;
  if (db.driver === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      url: db.url,
      charset: 'utf8mb4_unicode_ci',
      // Store and read DATETIME as UTC; business time zones are applied in code (Asia/Shanghai).
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: true,
      poolSize: db.poolSize,
      migrationsTransactionMode: 'each',
    };
  }
  mkdirSync(dirname(db.url), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: db.url,
    // WAL lets the API read while a worker writes; busy_timeout makes writers wait instead of failing.
    enableWAL: true,
    prepareDatabase: (conn: { pragma(s: string): unknown }) => {
      conn.pragma('busy_timeout = 10000');
      conn.pragma('foreign_keys = ON');
      conn.pragma('synchronous = NORMAL');
    },
    migrationsTransactionMode: 'each',
  };
}

export function createDataSource(db: DatabaseConfig): DataSource {
  return dataSourceFrom(dataSourceOptions(db));
}

/**
 * A DataSource for these options; on SQLite its flows take turns on the one connection. With
 * KEFU_STRICT_TRANSACTIONS=1 (the test suite) a query a flow runs beside its own transaction fails.
 */
export function dataSourceFrom(options: DataSourceOptions): DataSource {
  const ds = new DataSource(options);
  if (process.env.KEFU_STRICT_TRANSACTIONS === '1') failQueriesOutsideTheirTransaction(ds);
  return takeTurnsOnSqlite(ds);
}
