/**
 * Pinduoduo error codes. Seen in SDKs: 10019, 52101, 52102, 52103, 70031. The rest are [UNVERIFIED]
 * guesses kept to the minimum the gateway needs.
 */
export const PDD_ERRORS = {
  param: { code: 10000, msg: '参数错误' },
  unknownType: { code: 10001, msg: '接口不存在' }, // [UNVERIFIED]
  invalidClient: { code: 10016, msg: 'client_id不存在' }, // [UNVERIFIED]
  invalidToken: { code: 10018, msg: 'access_token不存在' }, // [UNVERIFIED]
  expiredToken: { code: 10019, msg: 'access_token已过期' },
  invalidSign: { code: 20004, msg: '签名校验失败' }, // [UNVERIFIED]
  invalidTimestamp: { code: 20005, msg: '时间戳已过期' }, // [UNVERIFIED]
  limited: { code: 52101, msg: '当前接口被限流，请稍后重试' },
  apiUnavailable: { code: 52102, msg: '当前接口暂时不可用，请稍后重试' },
  serviceUnavailable: { code: 52103, msg: '服务暂时不可用，请稍后重试' },
  tooFrequent: { code: 70031, msg: '调用过于频繁，请调整调用频率' },
} as const;

export type PddErrorKind = keyof typeof PDD_ERRORS;

export class PddError extends Error {
  readonly code: number;

  constructor(
    kind: PddErrorKind,
    readonly subMsg = '',
    readonly subCode = '',
  ) {
    super(PDD_ERRORS[kind].msg);
    this.code = PDD_ERRORS[kind].code;
  }

  static param(subMsg: string): PddError {
    return new PddError('param', subMsg);
  }

  body(requestId: string): { error_response: Record<string, string | number> } {
    return { error_response: { error_code: this.code, error_msg: this.message, sub_code: this.subCode, sub_msg: this.subMsg, request_id: requestId } };
  }
}
