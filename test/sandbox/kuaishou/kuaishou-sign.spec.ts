import { describe, expect, it } from '@jest/globals';
import { kuaishouSignBase, signKuaishou, verifyKuaishouSign } from '../../../src/sandbox/platforms/kuaishou/kuaishou-sign.verifier.js';

// platforms.md §7: inputs of the whalesky-labs signer tests, expected values computed from the algorithm.
const base = {
  access_token: 'token',
  appkey: 'ks123',
  method: 'open.seller.order.list',
  param: '{"title":"短袖"}',
  timestamp: '1583271919000',
  version: '1',
};

describe('Kuaishou request signature', () => {
  it('builds the sorted k=v string with the signSecret suffix', () => {
    expect(kuaishouSignBase({ ...base, signMethod: 'MD5' }, 'sign-secret')).toBe(
      'access_token=token&appkey=ks123&method=open.seller.order.list&param={"title":"短袖"}&signMethod=MD5&timestamp=1583271919000&version=1&signSecret=sign-secret',
    );
  });

  it('MD5 vector verifies (lowercase hex)', () => {
    expect(signKuaishou({ ...base, signMethod: 'MD5' }, 'sign-secret', 'MD5')).toBe('6005da269b372ff10945e565ef37a4c6');
    expect(verifyKuaishouSign({ ...base, signMethod: 'MD5', sign: '6005da269b372ff10945e565ef37a4c6' }, 'sign-secret')).toBe(true);
  });

  it('HMAC_SHA256 vector verifies (Base64)', () => {
    const sign = 'ZpPrG0oB1g/T93FyyVD+VCzRey41yqxZoCqcGg7upYM=';
    expect(signKuaishou({ ...base, signMethod: 'HMAC_SHA256' }, 'sign-secret', 'HMAC_SHA256')).toBe(sign);
    expect(verifyKuaishouSign({ ...base, signMethod: 'HMAC_SHA256', sign }, 'sign-secret')).toBe(true);
  });

  it('rejects an uppercase MD5, a wrong secret, a tampered param and an unknown method', () => {
    const md5 = '6005da269b372ff10945e565ef37a4c6';
    expect(verifyKuaishouSign({ ...base, signMethod: 'MD5', sign: md5.toUpperCase() }, 'sign-secret')).toBe(false);
    expect(verifyKuaishouSign({ ...base, signMethod: 'MD5', sign: md5 }, 'other-secret')).toBe(false);
    expect(verifyKuaishouSign({ ...base, param: '{"title":"长袖"}', signMethod: 'MD5', sign: md5 }, 'sign-secret')).toBe(false);
    expect(verifyKuaishouSign({ ...base, signMethod: 'SHA1', sign: md5 }, 'sign-secret')).toBe(false);
  });

  it('ignores parameters outside the signed set', () => {
    const sign = signKuaishou({ ...base, signMethod: 'MD5' }, 'sign-secret', 'MD5');
    expect(verifyKuaishouSign({ ...base, signMethod: 'MD5', sign, extra: 'x' }, 'sign-secret')).toBe(true);
  });
});
