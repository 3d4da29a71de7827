/**
 * `npm run migration:run` / `npm run migration:revert`: applies or reverts migrations on the
 * configured database (DATABASE_URL, or the embedded SQLite file).
 */
import 'reflect-metadata';
import { loadConfig } from '../config/config.loader.js';
import { createDataSource } from './data-source.factory.js';
import { revertLastMigration, runMigrationsLocked } from './migration-runner.js';

async function main(): Promise<void> {
  const direction = process.argv[2] ?? 'up';
  const config = loadConfig({ argv: process.argv });
  const ds = await createDataSource(config.database).initialize();
  try {
    if (direction === 'down') {
      await revertLastMigration(ds);
      process.stdout.write('reverted the last migration\n');
    } else {
      const applied = await runMigrationsLocked(ds);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
