import { describe, expect, it } from '@jest/globals';
import { PiiMask } from '../../src/auth/pii-mask.js';
import { RECEIVER } from '../tasks/tasks-support.js';

const receiver = RECEIVER;

describe('PiiMask', () => {
  it('shows everything to roles that work with the buyer', () => {
    for (const roles of [['in_sale'], ['after_sale'], ['auditor'], ['lead']] as const) {
      expect(PiiMask.for({ roles }).receiver(receiver)).toEqual(receiver);
    }
  });

  it('hides name, phone and street from operators and pre-sale agents, keeping province, city and district', () => {
    for (const roles of [['operator'], ['pre_sale']] as const) {
      expect(PiiMask.for({ roles }).receiver(receiver)).toEqual({
        ...receiver,
        name: '张**',
        mobile: '138****1234',
        town: '****',
        address: '****',
        oaid: '****',
      });
    }
  });

  it('shows warehouse staff where the parcel goes but not the phone', () => {
    const masked = PiiMask.for({ roles: ['warehouse'] }).receiver(receiver);
    expect(masked).toMatchObject({ name: '张小三', address: '科技园路1号', town: '粤海街道', mobile: '138****1234' });
  });

  it('lets any one of several roles reveal a field', () => {
    expect(PiiMask.for({ roles: ['operator', 'warehouse'] }).sees('address')).toBe(true);
    expect(PiiMask.for({ roles: ['operator', 'warehouse'] }).sees('phone')).toBe(false);
  });

  it('never shows ciphertext to a role that may not see the field, and keeps platform masks as they are', () => {
    const mask = PiiMask.for({ roles: ['pre_sale'] });
    expect(mask.text('name', '~AgAAAAEx2Rk3bL0tq8yWvA==~')).toBe('****');
    expect(mask.text('phone', '~AgAAAAEx2Rk3bL0tq8yWvA==~')).toBe('****');
    expect(mask.text('name', '张**')).toBe('张**');
    expect(mask.text('phone', '138****0000')).toBe('138****0000');
    expect(mask.text('address', null)).toBeNull();
  });

  it('masks plain text an agent entered, and chosen fields of any view', () => {
    const mask = PiiMask.for({ roles: ['operator'] });
    expect(mask.fields({ id: 7, newAddress: '广东省 深圳市 南山区 科技园路1号 张三 13800000000', kind: 'address_change' }, { newAddress: 'address' })).toEqual({
      id: 7,
      newAddress: '****',
      kind: 'address_change',
    });
  });
});
