import { IsNull, Not, type DataSource } from 'typeorm';
import { RemarkRequestEntity } from '../remarks/remark-request.entity.js';
import { remarkRequestAad } from '../remarks/remark-requests.service.js';
import type { SecretBox } from '../common/crypto/secret-box.js';
import { ShopCredentialEntity } from './shop-credential.entity.js';
import { credentialAad } from './shop-credential.vault.js';

export interface RotationResult {
  total: number;
  resealed: number;
  activeKeyId: string;
}

/**
 * Re-seals every credential row under the active master key, one row at a time. Each update is
 * conditional on the row still holding what was read, so a token refreshed meanwhile (sealed under the
 * active key already) is never overwritten with an older value; running it again finishes the rest.
 */
export async function rotateMasterKey(ds: DataSource, box: SecretBox, onRow?: (shopId: number) => void): Promise<RotationResult> {
  const repo = ds.getRepository(ShopCredentialEntity);
  const rows = await repo.find({ select: { id: true, shopId: true, keyId: true }, order: { id: 'ASC' } });
  let resealed = 0;
  for (const { id } of rows) {
    const row = await repo.findOneBy({ id });
    if (!row || row.keyId === box.activeKeyId) continue;
    const sealed = box.reseal({ keyId: row.keyId, ciphertext: row.ciphertext }, credentialAad(row.shopId));
    const res = await repo.update({ id, keyId: row.keyId, ciphertext: row.ciphertext }, { keyId: sealed.keyId, ciphertext: sealed.ciphertext });
    if (res.affected) resealed++;
    onRow?.(row.shopId);
  }
  const requests = await resealRemarkRequests(ds, box);
  return { total: rows.length + requests.total, resealed: resealed + requests.resealed, activeKeyId: box.activeKeyId };
}

/** The new addresses agents entered (remark requests) are re-sealed the same way. */
async function resealRemarkRequests(ds: DataSource, box: SecretBox): Promise<{ total: number; resealed: number }> {
  const repo = ds.getRepository(RemarkRequestEntity);
  const rows = await repo.find({ select: { id: true }, where: { sealedKeyId: Not(IsNull()) }, order: { id: 'ASC' } });
  let resealed = 0;
  for (const { id } of rows) {
    const row = await repo.findOneBy({ id });
    if (!row?.sealed || !row.sealedKeyId || row.sealedKeyId === box.activeKeyId) continue;
    const sealed = box.reseal({ keyId: row.sealedKeyId, ciphertext: row.sealed }, remarkRequestAad(row.orderId));
    const res = await repo.update({ id, sealedKeyId: row.sealedKeyId, sealed: row.sealed }, { sealedKeyId: sealed.keyId, sealed: sealed.ciphertext });
    if (res.affected) resealed++;
  }
  return { total: rows.length, resealed };
}
