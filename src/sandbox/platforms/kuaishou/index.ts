import type { PlatformModuleFactory } from '../../core/contract.js';

/** Kuaishou open platform imitation, mounted under /kuaishou. */
export const kuaishouModule: PlatformModuleFactory = () => ({
  service: 'kuaishou',
  prefix: '/kuaishou',
  async handle(_req, res) {
    res.writeHead(404, { 'content-type': 'application/json;charset=UTF-8' });
    res.end('{"result":0,"error_msg":"not found"}');
  },
});
