import type { PlatformModuleFactory } from '../../core/contract.js';
import { PinduoduoModule } from './pdd.module.js';

/** Pinduoduo open platform imitation mounted at /pinduoduo. */
export const pinduoduoModule: PlatformModuleFactory = (ctx) => new PinduoduoModule(ctx);
export { PinduoduoModule };
