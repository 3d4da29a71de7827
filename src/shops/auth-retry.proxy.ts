import { PlatformError } from '../platforms/errors.js';

export interface AuthRetryHooks<T> {
  /** Refreshes the shop's token; true when a new one is stored. */
  refresh(): Promise<boolean>;
  /** The adapter rebuilt from the stored (new) credentials. */
  rebuild(): Promise<T>;
  /** Called once per platform call (API-call counter). */
  counted(): void;
}

/**
 * Wraps an adapter so a token that dies mid-run is refreshed once and the call repeated with the new
 * one; a second AUTH_EXPIRED (or a refused refresh) goes back to the caller, the shop already flagged.
 */
export function withAuthRetry<T extends object>(adapter: T, hooks: AuthRetryHooks<T>): T {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        hooks.counted();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (err) {
          if (!(err instanceof PlatformError) || err.code !== 'AUTH_EXPIRED' || !(await hooks.refresh())) throw err;
          const fresh = await hooks.rebuild();
          hooks.counted();
          return (Reflect.get(fresh, prop) as (...a: unknown[]) => Promise<unknown>).apply(fresh, args);
        }
      };
    },
  });
}
