import type { ErpPort } from '../platforms/ports/erp.port.js';
import type { MarketplacePort } from '../platforms/ports/marketplace.port.js';
import type { TrackingPort } from '../platforms/ports/tracking.port.js';

/**
 * Platform adapters for a stored shop, built from its sealed credentials. Ingestion, pushes and
 * rules ask this for a shop's adapter and never see a credential. Implemented in the shops module.
 */
export abstract class ShopAdapters {
  /** The marketplace adapter of an active Taobao/Tmall, Pinduoduo or Kuaishou shop. */
  abstract marketplace(shopId: number): Promise<MarketplacePort>;
  /** The ERP adapter of the Jushuitan account a shop's orders land in (or of a Jushuitan shop row itself). */
  abstract erp(shopId: number): Promise<ErpPort>;
  /** The carrier-tracking service (Kuaidi100 style), shared by all shops. */
  abstract tracking(): TrackingPort;
  /** Forgets cached adapters of a shop after its credentials or tokens changed. */
  abstract invalidate(shopId: number): void;
}
