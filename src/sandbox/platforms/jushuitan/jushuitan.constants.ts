/**
 * Jushuitan openapi numbers in one place. [UNVERIFIED] marks the sandbox's own choice where the
 * platform documents nothing.
 */
export interface JushuitanLimits {
  /** code 199: at most 5 requests per second (JstErrorCode) */
  perSecond: number;
  /** code 200: at most 100 requests per minute (JstErrorCode) */
  perMinute: number;
}

export const JST_DEFAULT_LIMITS: JushuitanLimits = { perSecond: 5, perMinute: 100 };

export const JST_TIMES = {
  /** timestamp tolerance: 15 minutes either way (code 140) */
  timestampSkewMs: 15 * 60_000,
  /** ~30 days (expires_in ≈ 2592000) per third-party notes [UNVERIFIED] */
  accessTokenMs: 30 * 86_400_000,
  /** refresh token lifetime: not documented [UNVERIFIED] */
  refreshTokenMs: 60 * 86_400_000,
  /** order query / logistic query modified window ≤ 7 days */
  maxWindowMs: 7 * 86_400_000,
};

export const JST_LISTS = {
  maxPageSize: 100,
  defaultPageSize: 30, // [UNVERIFIED]
  maxSoIds: 20,
  maxQuestionIds: 50,
  remarkMaxChars: 500,
  maxLabels: 19,
  labelMaxChars: 10,
  maxAftersales: 50, // [UNVERIFIED]
};

export interface JstErrorDef {
  code: number;
  msg: string;
}

/** Error codes and texts as JstErrorCode quotes the official list; business errors are [UNVERIFIED]. */
export const JST_ERRORS = {
  signInvalid: { code: 10, msg: '验证失败！无效签名' },
  tokenInvalid: { code: 100, msg: '验证失败！无效的access_token或access_token已过期' },
  timestampInvalid: { code: 140, msg: '验证失败！无效的timestamp，请求最大时间误差15分钟' },
  refreshForbidden: { code: 150, msg: '服务商应用禁止刷新access_token,需商户重新授权' },
  noPermission: { code: 190, msg: '验证失败！无API权限，请申请API权限' },
  perSecond: { code: 199, msg: '调用频次超过限制!请稍后再试' },
  perMinute: { code: 200, msg: '调用频次超过限制' },
  serviceUnavailable: { code: 500, msg: '服务繁忙，请稍后再试' }, // [UNVERIFIED]
  bizInvalid: { code: 400, msg: '参数错误' }, // [UNVERIFIED]
  notFound: { code: 404, msg: '订单不存在' }, // [UNVERIFIED]
  refused: { code: 409, msg: '订单状态不允许此操作' }, // [UNVERIFIED]
  authCodeInvalid: { code: 400, msg: '授权码无效或已过期' }, // [UNVERIFIED]
} satisfies Record<string, JstErrorDef>;

/** Jushuitan logistics company codes (lc_id) for the sandbox's carriers [UNVERIFIED beyond the common ones]. */
export const JST_LC_IDS: Record<string, string> = {
  zhongtong: 'ZTO',
  yuantong: 'YTO',
  shunfeng: 'SF',
  yunda: 'YUNDA',
  shentong: 'STO',
  ems: 'EMS',
  jtexpress: 'JTSD',
  jd: 'JD',
};
