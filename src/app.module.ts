import { Module, type DynamicModule } from '@nestjs/common';
import { ActionsModule } from './actions/actions.module.js';
import { AuthModule } from './auth/auth.module.js';
import { AftersaleModule } from './aftersale/aftersale.module.js';
import { Clock } from './common/clock.js';
import { CommonModule } from './common/common.module.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/config.schema.js';
import { DatabaseModule } from './database/database.module.js';
import { DiagnosticsModule } from './diagnostics/diagnostics.module.js';
import { HealthModule } from './health/health.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { OrderViewsModule } from './order-views/order-views.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { RemarksModule } from './remarks/remarks.module.js';
import { ReroutesModule } from './reroutes/reroutes.module.js';
import { RulesModule } from './rules/rules.module.js';
import { SchedulingModule } from './scheduling/scheduling.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { ShopsModule } from './shops/shops.module.js';
import { TasksModule } from './tasks/tasks.module.js';

export interface AppModuleOptions {
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, opts: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule.forRoot({ clock: opts.clock }),
        DatabaseModule.forRoot(config),
        JobsModule.forRoot(config),
        AuthModule,
        ActionsModule,
        OrdersModule,
        SchedulingModule,
        ShopsModule,
        TasksModule,
        RulesModule,
        RemarksModule,
        ReroutesModule,
        OrderViewsModule,
        HealthModule,
        WebhooksModule,
        AftersaleModule,
        ...(config.diagnostics ? [DiagnosticsModule] : []),
      ],
    };
  }
}
