/** The outbox action that files a replacement shipment in the ERP (or, from a rule, proposes one). */
export const RESHIP_FILE_ACTION = 'reship.file';

/** An agent's (or a confirmed) reship: file it. */
export interface FileReshipPayload {
  reshipId: number;
}

/** A rule's file_reship decision: propose it to an agent, who confirms before anything is filed. */
export interface ProposeReshipPayload {
  orderId: number;
  reason: string;
  responsibleParty: string;
  lines: { skuId: string; qty: number }[];
}

export const isFilePayload = (p: Record<string, unknown>): p is Record<string, unknown> & FileReshipPayload => typeof p.reshipId === 'number';

/** The ERP's aftersale id of ours: stable per reship, so a re-upload after a crash finds the first filing. */
export const outerAfterSaleId = (reshipId: number): string => `kefu-reship-${reshipId}`;
