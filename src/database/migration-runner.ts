import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import type { DataSource } from 'typeorm';

const LOCK_NAME = 'kefu_bridge_migrations';
const LOCK_WAIT_S = 120;

/**
 * Runs pending migrations while holding a lock, so processes starting together on one database
 * do not race: MySQL's named lock, or a lock file beside the SQLite database.
 */
export async function runMigrationsLocked(ds: DataSource): Promise<string[]> {
  return withMigrationLock(ds, async () => (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name));
}

export async function revertLastMigration(ds: DataSource): Promise<void> {
  await withMigrationLock(ds, () => ds.undoLastMigration({ transaction: 'each' }));
}

async function withMigrationLock<T>(ds: DataSource, fn: () => Promise<T>): Promise<T> {
  if (ds.options.type === 'mysql') return withMysqlLock(ds, fn);
  return withFileLock(`${String(ds.options.database)}.migrate.lock`, fn);
}

async function withMysqlLock<T>(ds: DataSource, fn: () => Promise<T>): Promise<T> {
  // GET_LOCK belongs to one connection: hold a dedicated query runner for the lock's lifetime.
  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    const rows: { got: number | string | null }[] = await qr.query('SELECT GET_LOCK(?, ?) AS got', [LOCK_NAME, LOCK_WAIT_S]);
    if (Number(rows[0]?.got) !== 1) throw new Error(`could not take the migration lock within ${LOCK_WAIT_S}s`);
    try {
      return await fn();
    } finally {
      await qr.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
    }
  } finally {
    await qr.release();
  }
}

async function withFileLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_S * 1000;
  for (;;) {
    try {
      closeSync(openSync(path, 'wx'));
      break;
    } catch {
      // A lock older than the wait limit was left by a crashed process.
      if (isStale(path)) unlinkSafe(path);
      else if (Date.now() > deadline) throw new Error(`could not take the migration lock ${path}`);
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    unlinkSafe(path);
  }
}

function isStale(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > LOCK_WAIT_S * 1000;
  } catch {
    return false;
  }
}

function unlinkSafe(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}
