import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ACTION_TYPES, type RemarkWritePayload } from '../actions/action-types.js';
import { ActionsService } from '../actions/actions.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { PiiMask } from '../auth/pii-mask.js';
import { Clock } from '../common/clock.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import { shanghaiDate } from '../common/shanghai-time.js';
import { OrderEntity } from '../orders/order.entity.js';
import type { CreateRemarkRequestDto } from './dto/remark-request.dto.js';
import type { AddressFields, RemarkFields } from './remark-kinds.js';
import { RemarkRequestEntity } from './remark-request.entity.js';

type Target = 'marketplace' | 'erp';

/** The aad binds a sealed address to its order: copied onto another order's request, it fails to open. */
export const remarkRequestAad = (orderId: number): string => `remark_requests:order:${orderId}`;

export interface RemarkRequestView {
  id: number;
  orderId: number;
  kind: string;
  agentId: string;
  date: string;
  targets: Target[];
  /** The fields as the caller may see them (a new address masked for roles that may not). */
  fields: RemarkFields;
  actions: { id: number; target: Target; status: string }[];
}

/**
 * Remarks agents ask for (POST /api/orders/:id/remarks): stored with the actions that write them, in
 * one transaction, then written by remark.write. An address change is sealed here and opened only by
 * the writer, and goes to the memo alone: the memo line then drives the ERP address and the reroute.
 */
@Injectable()
export class RemarkRequestsService {
  constructor(
    private readonly ds: DataSource,
    private readonly actions: ActionsService,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  async create(me: AuthUser, orderId: number, dto: CreateRemarkRequestDto): Promise<RemarkRequestView> {
    if (!me.agentId) throw new BadRequestException('agentId: this user has no agent id to sign remarks with');
    const agentId = me.agentId;
    const order = await this.ds.getRepository(OrderEntity).findOneBy({ id: orderId });
    if (!order || (me.shopIds && !me.shopIds.includes(order.shopId))) throw new NotFoundException(`order ${orderId} not found`);
    const fields = fieldsOf(dto);
    const targets: Target[] = fields.kind === 'address_change' ? ['marketplace'] : [...new Set<Target>(dto.targets ?? ['marketplace', 'erp'])];
    if (fields.kind === 'address_change' && dto.targets?.includes('erp')) throw new BadRequestException('targets: an address change is written to the memo; the ERP address follows from it');
    const date = shanghaiDate(this.clock.now());
    const staged: { id: number; target: Target; status: string }[] = [];
    const request = await this.ds.transaction(async (m) => {
      const repo = m.getRepository(RemarkRequestEntity);
      const row = await repo.save(
        repo.create({
          shopId: order.shopId, orderId, kind: fields.kind, agentId, date, targets: targets.join(','), flag: dto.flag ?? null,
          fields: fields.kind === 'address_change' ? null : fields, sealedKeyId: null, sealed: null, createdBy: me.id, createdAt: this.clock.now(),
        }),
      );
      if (fields.kind === 'address_change') {
        const sealed = this.box.seal(JSON.stringify(fields.address), remarkRequestAad(orderId));
        await repo.update({ id: row.id }, { sealedKeyId: sealed.keyId, sealed: sealed.ciphertext });
      }
      for (const target of targets) {
        const payload: RemarkWritePayload = { target, agentId, date, ...(dto.flag ? { flag: dto.flag } : {}), ...(fields.kind === 'address_change' ? { requestId: row.id } : { fields }) };
        const { action } = await this.actions.stage(m, { type: ACTION_TYPES.remarkWrite, idempotencyKey: `remark-request:${row.id}:${target}`, shopId: order.shopId, orderId, payload: { ...payload } });
        staged.push({ id: action.id, target, status: action.status });
      }
      return row;
    });
    for (const a of staged) await this.actions.enqueue(a.id);
    return { id: request.id, orderId, kind: fields.kind, agentId, date, targets, fields: masked(fields, PiiMask.for(me)), actions: staged };
  }

  /** The fields of a request, the sealed address opened (for the remark writer only). */
  async fieldsOf(requestId: number): Promise<{ fields: RemarkFields; request: RemarkRequestEntity } | null> {
    const request = await this.ds.getRepository(RemarkRequestEntity).findOneBy({ id: requestId });
    if (!request) return null;
    if (request.fields) return { fields: request.fields, request };
    if (!request.sealed || !request.sealedKeyId) return null;
    const address = JSON.parse(this.box.open({ keyId: request.sealedKeyId, ciphertext: request.sealed }, remarkRequestAad(request.orderId))) as AddressFields;
    return { fields: { kind: 'address_change', address }, request };
  }
}

function fieldsOf(d: CreateRemarkRequestDto): RemarkFields {
  switch (d.kind) {
    case 'address_change':
      return { kind: 'address_change', address: { ...d.address! } };
    case 'product_change':
      return { kind: 'product_change', product: d.product!, quantity: d.quantity!, ...(d.sku ? { sku: d.sku } : {}) };
    case 'courier_request':
      return { kind: 'courier_request', courier: d.courier!, ...(d.service ? { service: d.service } : {}), ...(d.payment ? { payment: d.payment } : {}) };
    case 'ship_date':
      return { kind: 'ship_date', month: d.month!, day: d.day! };
    case 'other':
      return { kind: 'other', text: d.text! };
    case 'refund_reason':
      return { kind: 'refund_reason', reason: d.reason! };
  }
}

function masked(f: RemarkFields, mask: PiiMask): RemarkFields {
  if (f.kind !== 'address_change') return f;
  const a = f.address;
  return { kind: 'address_change', address: { ...a, detail: mask.text('address', a.detail)!, name: mask.text('name', a.name)!, phone: mask.text('phone', a.phone)! } };
}
