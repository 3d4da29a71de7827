/**
 * Column builders for migrations that run unchanged on MySQL/MariaDB and SQLite (QueryRunner Table API).
 * Dates carry no database default: the application clock sets them, so entity and schema never drift.
 */
import type { QueryRunner, TableColumnOptions } from 'typeorm';

export const id = (): TableColumnOptions => ({
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});

export const int = (name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'integer',
  ...opts,
});

export const str = (name: string, length: number, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...opts,
});

export const bool = (name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'boolean',
  ...opts,
});

export const date = (name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  ...opts,
});

/** Long text: MySQL `text` stops at 64 KiB, so raw payloads and JSON use mediumtext there. */
export const longText = (qr: QueryRunner, name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: qr.connection.options.type === 'better-sqlite3' ? 'text' : 'mediumtext',
  ...opts,
});

export const nullable = { isNullable: true } as const;

/** Column definitions for in-place ALTER TABLE: `[name, SQL type and constraints]`. */
export type InPlaceColumn = [name: string, definition: string];

/**
 * Adds columns with plain ALTER TABLE (same text on MySQL and SQLite ≥ 3.35). The Table API's
 * addColumn rebuilds the table on SQLite, and dropping the old copy cascades into child tables
 * (orders → shipments → tracking_events, shops → shop_credentials), which would lose their rows.
 */
export async function addColumnsInPlace(qr: QueryRunner, table: string, columns: InPlaceColumn[]): Promise<void> {
  for (const [name, definition] of columns) await qr.query(`ALTER TABLE ${table} ADD COLUMN ${name} ${definition}`);
}

export async function dropColumnsInPlace(qr: QueryRunner, table: string, columns: InPlaceColumn[]): Promise<void> {
  for (const [name] of [...columns].reverse()) await qr.query(`ALTER TABLE ${table} DROP COLUMN ${name}`);
}

/** SQL type of long text for in-place DDL (see longText). */
export const longTextType = (qr: QueryRunner): string => (qr.connection.options.type === 'better-sqlite3' ? 'text' : 'mediumtext');
