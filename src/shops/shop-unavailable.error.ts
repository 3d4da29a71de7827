/** A shop has no usable adapter: unknown, paused, not connected yet, waiting for re-authorisation. */
export class ShopUnavailableError extends Error {
  constructor(
    readonly shopId: number,
    readonly reason: 'not_found' | 'paused' | 'not_connected' | 'needs_reauth' | 'wrong_kind' | 'no_erp_account',
    detail: string,
  ) {
    super(`shop ${shopId}: ${detail}`);
    this.name = 'ShopUnavailableError';
  }
}
