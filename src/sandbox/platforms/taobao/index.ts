import type { PlatformModuleFactory } from '../../core/contract.js';
import { TaobaoModule } from './taobao.module.js';

/** Taobao/Tmall TOP imitation mounted at /taobao. */
export const taobaoModule: PlatformModuleFactory = (ctx) => new TaobaoModule(ctx);
export { TaobaoModule };
