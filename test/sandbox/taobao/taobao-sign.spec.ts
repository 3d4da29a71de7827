import { describe, expect, it } from '@jest/globals';
import { tmcSign, topSign, topSignBase } from '../../../src/sandbox/platforms/taobao/taobao-sign.util.js';
import { formatTopTime, parseTopTime, yuan } from '../../../src/sandbox/platforms/taobao/taobao-time.util.js';

/** The official TOP worked example (platforms.md §1.3 / §7). */
const OFFICIAL = {
  method: 'taobao.item.seller.get',
  app_key: '12345678',
  session: 'test',
  timestamp: '2016-01-01 12:00:00',
  format: 'json',
  v: '2.0',
  sign_method: 'md5',
  fields: 'num_iid,title,nick,price,num',
  num_iid: '11223344',
};

describe('TOP request signature', () => {
  it('builds the documented concatenation', () => {
    expect(topSignBase(OFFICIAL)).toBe(
      'app_key12345678fieldsnum_iid,title,nick,price,numformatjsonmethodtaobao.item.seller.getnum_iid11223344sessiontestsign_methodmd5timestamp2016-01-01 12:00:00v2.0',
    );
  });

  it('verifies the official md5 example', () => {
    expect(topSign(OFFICIAL, 'helloworld', 'md5')).toBe('66987CB115214E59E6EC978214934FB8');
  });

  it('matches the hmac and hmac-sha256 vectors', () => {
    expect(topSign({ ...OFFICIAL, sign_method: 'hmac' }, 'helloworld', 'hmac')).toBe('D56D7858309C31B6251083A874D48273');
    expect(topSign({ ...OFFICIAL, sign_method: 'hmac-sha256' }, 'helloworld', 'hmac-sha256')).toBe(
      '04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8',
    );
  });

  it('ignores sign and empty parameters, and the legacy prefix-only vector does not verify', () => {
    expect(topSign({ ...OFFICIAL, sign: 'X', partner_id: '' }, 'helloworld', 'md5')).toBe('66987CB115214E59E6EC978214934FB8');
    // legacy (pre-2012) algorithm result for these inputs; the current verifier must not produce it
    expect(topSign({ fields: 'nick,sex', nick: 'winwindg' }, 'carver', 'md5')).not.toBe('E780A69E04E438846FAF25AD28047415');
  });

  it('signs the TMC handshake', () => {
    expect(tmcSign('12345678', 'helloworld', 'default', '1700000000000')).toBe('C86848D198760FA334AA309207C72ECD');
  });
});

describe('TOP time and money', () => {
  it('formats and parses Beijing time', () => {
    const ms = Date.UTC(2024, 0, 1, 4, 0, 0);
    expect(formatTopTime(ms)).toBe('2024-01-01 12:00:00');
    expect(parseTopTime('2024-01-01 12:00:00')).toBe(ms);
    expect(parseTopTime('2024-02-30 12:00:00')).toBeUndefined();
    expect(parseTopTime('2024-01-01T12:00:00')).toBeUndefined();
  });

  it('renders fen as yuan strings', () => {
    expect(yuan(1230)).toBe('12.30');
    expect(yuan(5)).toBe('0.05');
    expect(yuan(0)).toBe('0.00');
  });
});
