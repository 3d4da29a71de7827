import type { PlatformModuleFactory } from '../core/contract.js';
import { jushuitanModule } from './jushuitan/index.js';
import { kuaidi100Module } from './kuaidi100/index.js';
import { kuaishouModule } from './kuaishou/index.js';
import { pinduoduoModule } from './pinduoduo/index.js';
import { taobaoModule } from './taobao/index.js';

/** Every platform imitation the sandbox mounts, one path prefix each. */
export const platformFactories: PlatformModuleFactory[] = [taobaoModule, pinduoduoModule, kuaishouModule, jushuitanModule, kuaidi100Module];
