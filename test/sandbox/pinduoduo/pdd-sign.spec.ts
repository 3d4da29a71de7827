import { describe, expect, it } from '@jest/globals';
import { pddSign, pddWsDigest } from '../../../src/sandbox/platforms/pinduoduo/pdd-sign.util.js';
import { pddPhoneCipher, pddTextCipher } from '../../../src/sandbox/platforms/pinduoduo/pdd-format.util.js';

/** The official PDD worked example (platforms.md §2.3 / §7). */
const OFFICIAL = {
  access_token: 'asd78172s8ds9a921j9qqwda12312w1w21211',
  client_id: '1',
  data_type: 'XML',
  order_status: '1',
  page: '1',
  page_size: '10',
  timestamp: '1480411125',
  type: 'pdd.order.number.list.get',
};

describe('Pinduoduo signatures', () => {
  it('verifies the official example and its JSON variant', () => {
    expect(pddSign(OFFICIAL, 'testSecret')).toBe('E4DE3ED21002510DED352819E7AE6775');
    expect(pddSign({ ...OFFICIAL, data_type: 'JSON' }, 'testSecret')).toBe('92A61361F6F8FDECCF611A19D1CE9F16');
    expect(pddSign({ ...OFFICIAL, sign: 'whatever' }, 'testSecret')).toBe('E4DE3ED21002510DED352819E7AE6775');
  });

  it('builds the published message-push path digest', () => {
    const digest = pddWsDigest('app', '1700000000000', 'secret');
    expect(`/message/app/1700000000000/${encodeURIComponent(digest)}`).toBe('/message/app/1700000000000/OTgxODMwNDI2NWZiN2NiNzA2NzIxOTI0ZjJlMDMxMjE%3D');
  });
});

describe('Pinduoduo ciphertext shapes', () => {
  it('renders phones as $…$…$ and text as ~…~…~ without the plain value, with a stable search index', () => {
    const a = pddPhoneCipher('13812340000', '240101-111');
    const b = pddPhoneCipher('13812340000', '240101-222');
    expect(a).toMatch(/^\$[^$]+\$[^$]+\$2\$\$$/);
    expect(a).not.toContain('1381234');
    expect(a.split('$')[1]).toBe(b.split('$')[1]);
    expect(a).not.toBe(b);
    const name = pddTextCipher('张三', '240101-111', 'name');
    expect(name).toMatch(/^~[^~]+~[^~]+~2~~$/);
    expect(name).not.toContain('张');
  });
});
