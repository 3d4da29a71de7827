import type { PlatformModuleFactory } from '../../core/contract.js';

/** Taobao/Tmall TOP imitation mounted at /taobao. */
export const taobaoModule: PlatformModuleFactory = () => ({
  service: 'taobao',
  prefix: '/taobao',
  async handle(_req, res) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not implemented"}');
  },
});
