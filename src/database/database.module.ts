import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/config.schema.js';
import { dataSourceFrom, dataSourceOptions } from './data-source.factory.js';
import { runMigrationsLocked } from './migration-runner.js';

/** The database connection; pending migrations are applied under a lock before anything uses it. */
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(config.database),
          dataSourceFactory: async (options) => {
            const ds = await dataSourceFrom(options!).initialize();
            const applied = await runMigrationsLocked(ds);
            if (applied.length) new Logger('database').log({ msg: 'migrations applied', applied });
            return ds;
          },
        }),
      ],
    };
  }
}
