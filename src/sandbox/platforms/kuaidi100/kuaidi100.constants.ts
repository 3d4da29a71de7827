/**
 * Kuaidi100 numbers in one place. platforms.md §4b gives the sign rules, the state codes, the
 * callback reply and the caps [3P]; the returnCode values and messages below follow Kuaidi100's
 * public API pages as remembered, not the spec, and are marked [UNVERIFIED].
 */
export const KD100 = {
  /** [3P] more than 48 queries of one waybill in 24 h locks it for 24 h. */
  queriesPerWaybillPerDay: 48,
  lockMs: 24 * 3600_000,
  /** [3P] at most 4 subscriptions of one waybill per month. */
  subscriptionsPerWaybillPerMonth: 4,
  monthMs: 30 * 24 * 3600_000,
  /** "3天查询无记录": a subscribed number with no scans 3 days after subscribing is given up. */
  abortNoRecordMs: 3 * 24 * 3600_000,
  /** [UNVERIFIED] redelivery of a push the callback did not accept: after 5 min, 15 min, 30 min, 1 h, 2 h. */
  retryDelaysMs: [5, 15, 30, 60, 120].map((m) => m * 60_000),
  /** [UNVERIFIED] a reordered push is held until the next one, or this long at most. */
  reorderHoldMs: 10 * 60_000,
  /** [UNVERIFIED] per-customer query rate. */
  queryRate: { perSecond: 20, banMs: 1000 },
} as const;

/** [UNVERIFIED] returnCode/message pairs of the query and subscribe APIs. */
export const KD100_ERRORS = {
  incomplete: ['400', '提交的数据不完整，或者贵公司没授权'],
  phone: ['408', '验证码错误：请提供正确的收/寄件人电话号码后四位'],
  noResult: ['500', '查询无结果，请隔段时间再查'],
  serverError: ['501', '服务器错误'],
  busy: ['502', '服务器繁忙，请稍后再试'],
  badSign: ['503', '验证签名失败'],
  locked: ['503', '单号查询过于频繁，已锁定24小时'],
  keyExpired: ['601', 'POLL:KEY已过期'],
  duplicate: ['501', 'POLL:重复订阅'],
  capReached: ['501', 'POLL:该单号本月订阅次数已达上限'],
  badSubscriber: ['600', '您不是合法的订阅者（即授权Key出错）'],
  badSubscription: ['700', '订阅方的订阅数据存在错误（如不支持的快递公司、单号为空、单号超长等）或错误的回调地址'],
} as const satisfies Record<string, readonly [string, string]>;

/** Names of the state codes (§4b), for resultv2 responses. */
export const STATE_NAMES: Record<number, string> = {
  0: '在途', 1: '揽收', 2: '疑难', 3: '签收', 4: '退签', 5: '派件', 6: '退回', 7: '转投', 8: '清关',
  10: '待清关', 11: '清关中', 12: '已清关', 13: '清关异常', 14: '拒签',
};
