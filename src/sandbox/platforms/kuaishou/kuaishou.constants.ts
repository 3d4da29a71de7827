/**
 * Kuaishou open platform numbers in one place. Values tagged [UNVERIFIED] are the sandbox's own
 * choice where the platform publishes no number; everything else is from the platform documents.
 */
export interface KuaishouLimits {
  /** per app × API: "Exceed qps limit, KEY [apiId:…;appkey:…], MAX_QPS [300.0]" (API限流说明) */
  qpsPerApp: number;
  /** per authorised user × API, also 300 (API限流说明) */
  qpsPerUser: number;
  /** app daily call quota assigned in the console; 0 = none configured [UNVERIFIED default] */
  dailyQuotaPerApp: number;
}

export const KS_DEFAULT_LIMITS: KuaishouLimits = { qpsPerApp: 300, qpsPerUser: 300, dailyQuotaPerApp: 0 };

export const KS_TIMES = {
  /** access_token expires_in 172800 s (APP授权说明) */
  accessTokenMs: 172_800_000,
  /** refresh_token 180 days (APP授权说明) */
  refreshTokenMs: 180 * 86_400_000,
  /** "old refresh_token invalid within 5 min" after a refresh (APP授权说明 / FAQ K0008) */
  refreshGraceMs: 5 * 60_000,
  /** receiver must answer within 3000 ms (消息服务说明) */
  pushAckTimeoutMs: 3000,
  /** retried 5 times at 5, 10, 20, 30, 60 minutes (消息服务说明 / FAQ K4004) */
  pushRetryDelaysMs: [5, 10, 20, 30, 60].map((m) => m * 60_000),
  /** open.order.cursor.list: span ≤ 7 days, begin ≥ now − 90 days */
  listMaxSpanMs: 7 * 86_400_000,
  listLookbackMs: 90 * 86_400_000,
  /** promised ship time the sandbox shows: 48 h after payment [UNVERIFIED: per item setting] */
  promiseShipMs: 48 * 3_600_000,
};

export const KS_LISTS = {
  maxPageSize: 50,
  noteMaxChars: 200,
  noteInfoMax: 30,
};

/** An error the gateway answers: `result` plus the documented message fields. */
export interface KsErrorDef {
  result: number;
  msg: string;
}

/**
 * Gateway-level result codes are not published (only the business 3000xx table, OAuth 1002001xx and
 * 24 AUTHORIZATION_REVOKED are); the others are the sandbox's choice [UNVERIFIED], messages as the
 * FAQ quotes them.
 */
export const KS_ERRORS = {
  paramInvalid: { result: 10, msg: '参数错误' }, // [UNVERIFIED]
  apiNotFound: { result: 11, msg: 'API不存在' }, // [UNVERIFIED]
  httpMethod: { result: 12, msg: 'HTTP请求方式错误' }, // [UNVERIFIED]
  appKeyInvalid: { result: 20, msg: 'appkey无效' }, // [UNVERIFIED]
  signInvalid: { result: 21, msg: '签名校验失败' }, // [UNVERIFIED] code; message per FAQ K1004
  tokenInvalid: { result: 22, msg: '鉴权失败' }, // [UNVERIFIED] code; message per FAQ K0004
  tokenExpired: { result: 28, msg: 'TOKEN过期' }, // [UNVERIFIED] code; message per FAQ K0004
  revoked: { result: 24, msg: 'AUTHORIZATION_REVOKED' }, // FAQ K0006
  qpsLimited: { result: 29, msg: 'Exceed qps limit' }, // [UNVERIFIED] code; message per FAQ K1008
  quotaLimited: { result: 30, msg: 'Exceed quota limit' }, // [UNVERIFIED] code; message per FAQ K1008
  serviceUnavailable: { result: 500, msg: '服务暂不可用' }, // [UNVERIFIED]
  endBeforeBegin: { result: 300003, msg: 'ENDTIME MUST AFTER BEGINTIME' },
  spanTooWide: { result: 300004, msg: 'SEARCH TIME RANGE EXPAND 7 DAYS' },
  beforeNinetyDays: { result: 300005, msg: 'CAN NOT SEARCH BEFORE 90 DAYS' },
  orderNotFound: { result: 300020, msg: 'ORDER NOT FOUND' }, // [UNVERIFIED]
} satisfies Record<string, KsErrorDef>;

/** OAuth endpoint errors (APP授权说明). */
export const KS_OAUTH_ERRORS = {
  invalidRequest: { result: 100200100, error: 'invalid_request' },
  unauthorizedClient: { result: 100200101, error: 'unauthorized_client' },
  accessDenied: { result: 100200102, error: 'access_denied' },
  unsupportedGrantType: { result: 100200104, error: 'unsupported_grant_type' },
  invalidGrant: { result: 100200105, error: 'invalid_grant' },
};

/** HTTP verb per API (SDK metadata); a call with the other verb is refused. */
export const KS_METHOD_VERBS: Record<string, 'GET' | 'POST'> = {
  'open.order.cursor.list': 'GET',
  'open.order.detail': 'GET',
  'open.seller.order.note.add': 'POST',
  'open.sms.send': 'POST',
};

/** expressCode per carrier (物流公司编号 table); 9999 = 其他. */
export const KS_EXPRESS_CODES: Record<string, number> = {
  huitongkuaidi: 1,
  ems: 2,
  shentong: 3,
  shunfeng: 4,
  yuantong: 6,
  youzhengguonei: 8,
  zhongtong: 9,
  yunda: 11,
  jd: 14,
  debangwuliu: 17,
  jtexpress: 109,
};
