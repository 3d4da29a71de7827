import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { decryptKuaishouPush, encryptKuaishouPush } from '../../../src/sandbox/platforms/kuaishou/kuaishou-push.cipher.js';

/** Independent check: the openssl CLI decrypts with AES-CBC, zero IV, PKCS#5 padding. */
function opensslDecrypt(bodyBase64: string, key: Buffer): string {
  const bits = key.length * 8;
  return execFileSync(
    'openssl',
    ['enc', '-d', `-aes-${bits}-cbc`, '-K', key.toString('hex'), '-iv', '0'.repeat(32), '-base64', '-A'],
    { input: bodyBase64 },
  ).toString('utf8');
}

describe('Kuaishou push body encryption', () => {
  it('round-trips {"test":true} with a random 128-bit key', () => {
    const key = randomBytes(16);
    const body = encryptKuaishouPush('{"test":true}', key.toString('base64'));
    expect(body).not.toContain('test');
    expect(decryptKuaishouPush(body, key.toString('base64'))).toBe('{"test":true}');
  });

  it('is what openssl aes-128-cbc / aes-256-cbc with a zero IV decrypts', () => {
    for (const size of [16, 32]) {
      const key = randomBytes(size);
      const plain = JSON.stringify({ eventId: '1', event: 'kwaishop_order_paySuccess', info: '{"oid":2612345678901234}' });
      expect(opensslDecrypt(encryptKuaishouPush(plain, key.toString('base64')), key)).toBe(plain);
    }
  });

  it('a different key does not decrypt the body', () => {
    const body = encryptKuaishouPush('{"test":true}', randomBytes(16).toString('base64'));
    let out: string | undefined;
    try {
      out = decryptKuaishouPush(body, randomBytes(16).toString('base64'));
    } catch {
      out = undefined;
    }
    expect(out).not.toBe('{"test":true}');
  });
});
