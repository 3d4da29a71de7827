/**
 * TOP error codes used by the imitation (official error list, §1.9). Business failures use code 15 with an
 * `isv.*` sub code; the exact sub codes/messages for business errors are [UNVERIFIED] best guesses.
 */
export const TOP_ERRORS = {
  appCallLimited: { code: 7, msg: 'App Call Limited' },
  serviceUnavailable: { code: 10, msg: 'Service Currently Unavailable' },
  remoteService: { code: 15, msg: 'Remote service error' },
  missingMethod: { code: 21, msg: 'Missing Method' },
  invalidMethod: { code: 22, msg: 'Invalid Method' },
  invalidFormat: { code: 23, msg: 'Invalid Format' },
  missingSignature: { code: 24, msg: 'Missing Signature' },
  invalidSignature: { code: 25, msg: 'Invalid Signature' },
  missingSession: { code: 26, msg: 'Missing Session' },
  invalidSession: { code: 27, msg: 'Invalid session' },
  missingAppKey: { code: 28, msg: 'Missing App Key' },
  invalidAppKey: { code: 29, msg: 'Invalid App Key' },
  missingTimestamp: { code: 30, msg: 'Missing Timestamp' },
  invalidTimestamp: { code: 31, msg: 'Invalid Timestamp' },
  missingArguments: { code: 40, msg: 'Missing required arguments' },
  invalidArguments: { code: 41, msg: 'Invalid arguments' },
} as const;

export type TopErrorKind = keyof typeof TOP_ERRORS;

/** A TOP failure carried up to the router, rendered as `error_response`. */
export class TopError extends Error {
  readonly code: number;
  readonly topMsg: string;

  constructor(
    kind: TopErrorKind,
    readonly subCode?: string,
    readonly subMsg?: string,
    msgSuffix?: string,
  ) {
    const base = TOP_ERRORS[kind];
    super(msgSuffix ? `${base.msg}:${msgSuffix}` : base.msg);
    this.code = base.code;
    this.topMsg = this.message;
  }

  static missingArg(name: string): TopError {
    return new TopError('missingArguments', 'isv.missing-parameter', `缺少必选参数:${name}`, name);
  }

  static invalidArg(name: string, why: string): TopError {
    return new TopError('invalidArguments', 'isv.invalid-parameter', `${name}:${why}`, name);
  }

  /** Business rule violations (code 15, isv.*). */
  static business(subCode: string, subMsg: string): TopError {
    return new TopError('remoteService', subCode, subMsg);
  }

  body(requestId: string): { error_response: Record<string, string | number> } {
    const err: Record<string, string | number> = { code: this.code, msg: this.topMsg };
    if (this.subCode) err.sub_code = this.subCode;
    if (this.subMsg) err.sub_msg = this.subMsg;
    err.request_id = requestId;
    return { error_response: err };
  }
}
