import type { PlatformModuleFactory } from '../../core/contract.js';

/** Jushuitan ERP open API imitation, mounted under /jushuitan. */
export const jushuitanModule: PlatformModuleFactory = () => ({
  service: 'jushuitan',
  prefix: '/jushuitan',
  async handle(_req, res) {
    res.writeHead(404, { 'content-type': 'application/json;charset=UTF-8' });
    res.end('{"code":404,"msg":"not found"}');
  },
});
