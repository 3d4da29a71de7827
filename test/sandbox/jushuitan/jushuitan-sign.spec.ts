import { describe, expect, it } from '@jest/globals';
import { signJushuitan, verifyJushuitanSign } from '../../../src/sandbox/platforms/jushuitan/jushuitan-sign.verifier.js';

// platforms.md §7: the ieu/jst-java digest test vectors.
const secret = 'e9c5ca33fecb404b8e6cdbd0ef4a6d25';
const common = { app_key: '5b53060f23d84ddf9703056e84fa5a2d', timestamp: '1639128407', charset: 'utf-8' };

describe('Jushuitan signature', () => {
  it('business request vector verifies', () => {
    const params = {
      ...common,
      access_token: 'd7b01bf0842a4742a9450e21ffd95f60',
      version: '2',
      biz: '{"page_index":"1","page_size":"100","nicks":["老板"]}',
    };
    expect(signJushuitan(params, secret)).toBe('395f5a78b446be465ac03a02491296c7');
    expect(verifyJushuitanSign({ ...params, sign: '395f5a78b446be465ac03a02491296c7' }, secret)).toBe(true);
  });

  it('auth (code → token) vector verifies', () => {
    const params = { ...common, grant_type: 'authorization_code', code: '123456' };
    expect(signJushuitan(params, secret)).toBe('05e3a51e19e0883afd1882ccd309e0b9');
    expect(verifyJushuitanSign({ ...params, sign: '05e3a51e19e0883afd1882ccd309e0b9' }, secret)).toBe(true);
  });

  it('rejects a secret suffix, an uppercase digest and a changed biz', () => {
    const params = { ...common, grant_type: 'authorization_code', code: '123456' };
    const good = '05e3a51e19e0883afd1882ccd309e0b9';
    expect(verifyJushuitanSign({ ...params, sign: good.toUpperCase() }, secret)).toBe(false);
    expect(verifyJushuitanSign({ ...params, code: '654321', sign: good }, secret)).toBe(false);
    expect(verifyJushuitanSign({ ...params, sign: good }, 'other')).toBe(false);
    expect(verifyJushuitanSign(params, secret)).toBe(false);
  });
});
