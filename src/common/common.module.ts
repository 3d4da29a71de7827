import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AppConfig } from '../config/config.schema.js';
import { Clock, SystemClock } from './clock.js';
import { SecretBox } from './crypto/secret-box.js';

/** Process-wide services every module may inject: the clock and the sealing box for secrets. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(opts: { clock?: Clock } = {}): DynamicModule {
    return {
      module: CommonModule,
      providers: [
        { provide: Clock, useValue: opts.clock ?? new SystemClock() },
        {
          provide: SecretBox,
          useFactory: (config: AppConfig) =>
            new SecretBox({ active: config.security.masterKey, previous: config.security.previousKeys }),
          inject: [AppConfig],
        },
      ],
      exports: [Clock, SecretBox],
    };
  }
}
