import type { PlatformModuleFactory } from '../../core/contract.js';

export const kuaidi100Module: PlatformModuleFactory = () => ({
  service: 'kuaidi100',
  prefix: '/kuaidi100',
  async handle(_req, res) {
    res.writeHead(501, { 'content-type': 'application/json' }).end('{"message":"not implemented"}');
  },
});
