import { Column, Raw, type ColumnOptions, type FindOperator } from 'typeorm';

/** Millisecond-precision timestamps on both MySQL (DATETIME(3)) and SQLite; stored in UTC. */
export function DateColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'datetime', precision: 3, ...options });
}

/** JSON kept in a text column (MySQL mediumtext, SQLite text) so both backends read it the same way. */
export function JsonColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'simple-json', ...options });
}

/**
 * A DATETIME(3) as a query parameter. MySQL takes the Date; SQLite compares the stored text form
 * (UTC, `YYYY-MM-DD HH:mm:ss.SSS`), and an ISO string with its `T` would compare wrongly against it.
 */
export function dateParam(ds: { options: { type: string } }, d: Date): Date | string {
  return ds.options.type === 'mysql' ? d : d.toISOString().replace('T', ' ').slice(0, 23);
}

/** `column <= d` for a date column in find options, right on both backends (see dateParam). */
export function AtOrBefore(ds: { options: { type: string } }, d: Date): FindOperator<Date> {
  return Raw((column) => `${column} <= :atOrBefore`, { atOrBefore: dateParam(ds, d) });
}
