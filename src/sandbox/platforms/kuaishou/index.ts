import type { PlatformModuleFactory } from '../../core/contract.js';
import { KS_DEFAULT_LIMITS } from './kuaishou.constants.js';
import { KuaishouControlHandler } from './kuaishou-control.handler.js';
import { KuaishouGateway } from './kuaishou-gateway.handler.js';
import { KuaishouOAuthHandler } from './kuaishou-oauth.handler.js';
import { KuaishouOrderApi } from './kuaishou-order.api.js';
import { KuaishouPushDispatcher } from './kuaishou-push.dispatcher.js';

/**
 * Kuaishou (快手小店) open platform imitation under /kuaishou: the openapi gateway
 * (`/open/...` = method with dots as slashes), OAuth under /oauth2, and HTTPS pushes to the app's URL.
 */
export const kuaishouModule: PlatformModuleFactory = (ctx) => {
  const limits = { ...KS_DEFAULT_LIMITS };
  const gateway = new KuaishouGateway(ctx, limits, new KuaishouOrderApi(ctx).apis());
  const oauth = new KuaishouOAuthHandler(ctx);
  const pushes = new KuaishouPushDispatcher(ctx);
  const control = new KuaishouControlHandler(ctx, limits, pushes);
  // Subscribe at once so events from a scenario loaded before start() still push.
  pushes.start();
  return {
    service: 'kuaishou',
    prefix: '/kuaishou',
    async handle(req, res, path, body) {
      const bare = path.split('?')[0];
      if (bare.startsWith('/oauth2/') && (await oauth.handle(req, res, bare, body))) return;
      await gateway.handle(req, res, bare, body);
    },
    control: (req, res, path, body) => control.handle(req, res, path.split('?')[0], body),
    async start() {
      pushes.start();
    },
    stop: () => pushes.stop(),
  };
};
