import type { OrderListPage, Shipment } from './canonical.types.js';
import type {
  ErpAddressUpdate,
  ErpOrder,
  ErpOrderQuery,
  ErpRemarkRequest,
  ReshipRequest,
  ReshipResult,
} from './erp.types.js';

export interface ErpPort {
  listOrders(query: ErpOrderQuery): Promise<OrderListPage<ErpOrder>>;
  getOrderByOnlineId(shopId: string, onlineOrderId: string): Promise<ErpOrder | null>;
  writeRemark(request: ErpRemarkRequest): Promise<void>;
  setLabels(erpOrderId: string, add: string[], remove: string[]): Promise<void>;
  markQuestion(erpOrderIds: string[], questionType: string, description: string): Promise<void>;
  updateAddress(update: ErpAddressUpdate): Promise<void>;
  fileReship(request: ReshipRequest): Promise<ReshipResult>;
  getShipment(erpOrderId: string): Promise<Shipment | null>;
  /** The replacement parcel of a filed reship, once the ERP has shipped it; null before. */
  getReshipShipment(ref: { shopId: string; onlineOrderId: string; erpAfterSaleId: string }): Promise<Shipment | null>;
}
