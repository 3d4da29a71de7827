import { Column, type ColumnOptions } from 'typeorm';

/** Millisecond-precision timestamps on both MySQL (DATETIME(3)) and SQLite; stored in UTC. */
export function DateColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'datetime', precision: 3, ...options });
}

/** JSON kept in a text column (MySQL mediumtext, SQLite text) so both backends read it the same way. */
export function JsonColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'simple-json', ...options });
}
