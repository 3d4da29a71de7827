import { Module } from '@nestjs/common';
import { PushModule } from '../orders/push/push.module.js';
import { ShopsModule } from '../shops/shops.module.js';
import { InboundStatsController } from './inbound-stats.controller.js';
import { Kuaidi100CallbackController } from './kuaidi100-callback.controller.js';
import { Kuaidi100CallbackReceiver } from './kuaidi100-callback.receiver.js';
import { KuaishouPushController } from './kuaishou-push.controller.js';
import { KuaishouPushReceiver } from './kuaishou-push.receiver.js';

/** Platform pushes over HTTP: thin controllers that verify, store, enqueue and answer. */
@Module({
  imports: [PushModule, ShopsModule],
  controllers: [KuaishouPushController, Kuaidi100CallbackController, InboundStatsController],
  providers: [KuaishouPushReceiver, Kuaidi100CallbackReceiver],
})
export class WebhooksModule {}
