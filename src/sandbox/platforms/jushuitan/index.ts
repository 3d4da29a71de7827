import type { PlatformModuleFactory } from '../../core/contract.js';
import { JST_DEFAULT_LIMITS } from './jushuitan.constants.js';
import { JushuitanAftersaleApi } from './jushuitan-aftersale.api.js';
import { JushuitanAuthHandler, type JstAppKind } from './jushuitan-auth.handler.js';
import { JushuitanControlHandler } from './jushuitan-control.handler.js';
import { JushuitanGateway } from './jushuitan-gateway.handler.js';
import { JushuitanOrderApi } from './jushuitan-order.api.js';

/**
 * Jushuitan (聚水潭) ERP openapi imitation under /jushuitan: signed form POSTs to `/open/...` paths and
 * the `/openWeb/auth/...` token endpoints. The ERP sends no pushes here (its callbacks are unpublished).
 */
export const jushuitanModule: PlatformModuleFactory = (ctx) => {
  const limits = { ...JST_DEFAULT_LIMITS };
  const kinds = new Map<string, JstAppKind>();
  const apis = { ...new JushuitanOrderApi(ctx).apis(), ...new JushuitanAftersaleApi(ctx).apis() };
  const gateway = new JushuitanGateway(ctx, limits, apis);
  const auth = new JushuitanAuthHandler(ctx, kinds);
  const control = new JushuitanControlHandler(limits, kinds);
  return {
    service: 'jushuitan',
    prefix: '/jushuitan',
    async handle(req, res, path, body) {
      const bare = path.split('?')[0];
      if (bare.startsWith('/openWeb/auth/') && (await auth.handle(req, res, bare, body))) return;
      await gateway.handle(req, res, bare, body);
    },
    control: (req, res, path, body) => control.handle(req, res, path.split('?')[0], body),
  };
};
