import type { TopApi } from './taobao-router.js';
import { TopError } from './taobao.error.js';
import { required, shopTrade } from './taobao-params.util.js';
import { fallbackOaid } from './taobao-mask.util.js';

const CHANNEL = 'taobao.jst.sms.oaid.message.send';

/** 聚石塔 SMS to the buyer addressed by OAID: the OAID must be the one of that order. */
export const SMS_APIS: Record<string, TopApi> = {
  [CHANNEL]: {
    session: true,
    run(call) {
      const order = shopTrade(call, 'order_id');
      const oaid = required(call, 'oaid');
      const template = required(call, 'template_code');
      const params = call.params.params ?? '{}';
      // [UNVERIFIED] sub codes of this API
      if (oaid !== (order.oaid || fallbackOaid(order.orderId))) throw TopError.business('isv.oaid-not-match', 'oaid与订单不匹配');
      try {
        JSON.parse(params);
      } catch {
        throw TopError.invalidArg('params', '必须是JSON字符串');
      }
      const msg = call.ctx.world.recordBuyerMessage({
        platform: 'taobao',
        shopId: order.shopId,
        orderId: order.orderId,
        to: oaid,
        channel: CHANNEL,
        template,
        content: `${call.params.sms_free_sign_name ?? ''}${template}${params}`,
        appKey: call.app.appKey,
      });
      // [UNVERIFIED] response body shape
      return { result: { success: true, code: 'OK', biz_id: `${msg.time}${order.orderId.slice(-6)}` } };
    },
  },
};
