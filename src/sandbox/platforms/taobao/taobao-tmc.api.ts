import type { TopApi } from './taobao-router.js';
import { TopError } from './taobao.error.js';
import { intParam, required } from './taobao-params.util.js';
import { tmcWire, type TmcQueue } from './taobao-tmc.queue.js';

const CONFIRM_MAX_IDS = 200;

/** taobao.tmc.messages.consume / confirm / user.permit, backed by the module's TmcQueue. */
export function tmcApis(queue: TmcQueue): Record<string, TopApi> {
  return {
    'taobao.tmc.messages.consume': {
      session: false,
      run(call) {
        const quantity = intParam(call, 'quantity', 100, 10, 200);
        const msgs = queue.consume(call.app.appKey, quantity);
        // Like other TOP lists, an empty result omits the list.
        return msgs.length > 0 ? { messages: { tmc_message: msgs.map((m) => tmcWire(m, call.config.tmcPublisherAppKey)) } } : {};
      },
    },
    'taobao.tmc.messages.confirm': {
      session: false,
      run(call) {
        const ids = required(call, 's_message_ids')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (ids.length > CONFIRM_MAX_IDS) throw TopError.invalidArg('s_message_ids', `最多${CONFIRM_MAX_IDS}个`);
        if (ids.some((id) => !/^\d+$/.test(id))) throw TopError.invalidArg('s_message_ids', '必须是数字');
        queue.confirm(call.app.appKey, ids);
        return { is_success: true };
      },
    },
    // Every shop of the app is subscribed already in the sandbox; permit just says yes.
    'taobao.tmc.user.permit': { session: true, run: () => ({ is_success: true }) },
  };
}
