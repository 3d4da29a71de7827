/** Every platform failure is translated at the edge into one of these codes. */
export type PlatformErrorCode =
  | 'RATE_LIMITED'
  | 'AUTH_EXPIRED'
  | 'AUTH_REVOKED'
  | 'TRANSIENT'
  | 'INVALID_REQUEST'
  | 'NOT_FOUND'
  | 'PERMANENT';

export type PlatformSource = 'taobao' | 'pinduoduo' | 'kuaishou' | 'jushuitan' | 'tracking';

export interface PlatformErrorInit {
  code: PlatformErrorCode;
  platform: PlatformSource;
  /** The platform's own code (e.g. Taobao `7`/`isp.xxx`, PDD `10019`), as a string. */
  rawCode: string;
  /** The platform's message, already stripped of secrets and tokens. */
  rawMessage: string;
  retryAfterMs?: number;
  api?: string;
  httpStatus?: number;
}

export class PlatformError extends Error {
  readonly code: PlatformErrorCode;
  readonly platform: PlatformSource;
  readonly rawCode: string;
  readonly rawMessage: string;
  readonly retryAfterMs: number | undefined;
  readonly api: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(init: PlatformErrorInit) {
    const where = init.api ? ` ${init.api}` : '';
    super(`${init.platform}${where}: ${init.code} [${init.rawCode}] ${init.rawMessage}`);
    this.name = 'PlatformError';
    this.code = init.code;
    this.platform = init.platform;
    this.rawCode = init.rawCode;
    this.rawMessage = init.rawMessage;
    this.retryAfterMs = init.retryAfterMs;
    this.api = init.api;
    this.httpStatus = init.httpStatus;
  }
}

export type Decision =
  | { kind: 'retry'; afterMs: number }
  /** refresh=true: try the refresh token first; false: the merchant must grant access again. */
  | { kind: 'reauthorize'; refresh: boolean }
  | { kind: 'fail'; reason: PlatformErrorCode };

export interface RetryPolicy {
  maxTransientAttempts: number;
  maxRateLimitedAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxTransientAttempts: 5,
  maxRateLimitedAttempts: 10,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
};

function backoff(attempt: number, policy: RetryPolicy): number {
  const exp = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  return Math.min(exp, policy.maxDelayMs);
}

/**
 * The one retry policy. `attempt` is 1 for the first failure of a call.
 * Rate-limit bans carry their own wait (Taobao tells the seconds); transient failures back off
 * exponentially; auth problems go back to the authorisation flow; everything else fails for good.
 */
export function decide(error: unknown, attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Decision {
  // Anything not translated at the edge is a bug in our code: retrying would only repeat it.
  if (!(error instanceof PlatformError)) return { kind: 'fail', reason: 'PERMANENT' };
  switch (error.code) {
    case 'RATE_LIMITED':
      if (attempt > policy.maxRateLimitedAttempts) return { kind: 'fail', reason: error.code };
      return { kind: 'retry', afterMs: error.retryAfterMs ?? backoff(attempt, policy) };
    case 'TRANSIENT':
      if (attempt > policy.maxTransientAttempts) return { kind: 'fail', reason: error.code };
      return { kind: 'retry', afterMs: backoff(attempt, policy) };
    case 'AUTH_EXPIRED':
      // A refresh that itself fails with AUTH_EXPIRED would loop; one refresh per call is enough.
      return attempt <= 1 ? { kind: 'reauthorize', refresh: true } : { kind: 'reauthorize', refresh: false };
    case 'AUTH_REVOKED':
      return { kind: 'reauthorize', refresh: false };
    case 'INVALID_REQUEST':
    case 'NOT_FOUND':
    case 'PERMANENT':
      return { kind: 'fail', reason: error.code };
  }
}
