import { BadRequestException } from '@nestjs/common';

/** True for a duplicate-key violation on MySQL/MariaDB or SQLite. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } };
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True when MySQL/MariaDB chose this transaction as a deadlock victim (it was rolled back whole; run it again). */
export function isDeadlock(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  return (e?.driverError?.code ?? e?.code) === 'ER_LOCK_DEADLOCK';
}

/** Short, single-line error text for storage (never a stack, never more than `max` chars). */
export function errorText(err: unknown, max = 1000): string {
  const text = err instanceof Error ? `${err.name === 'Error' ? '' : err.name + ': '}${err.message}` : String(err);
  return text.replace(/\s+/g, ' ').slice(0, max);
}

/** A 400 answer whose message names the field, in the same shape class-validator failures have. */
export function badField(name: string, message: string): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`${name} ${message}`] });
}
