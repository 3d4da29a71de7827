import type { PlatformModuleFactory } from '../../core/contract.js';

/** Pinduoduo open platform imitation mounted at /pinduoduo. */
export const pinduoduoModule: PlatformModuleFactory = () => ({
  service: 'pinduoduo',
  prefix: '/pinduoduo',
  async handle(_req, res) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not implemented"}');
  },
});
