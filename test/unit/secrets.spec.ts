import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { JsonLogger } from '../../src/common/json-logger.js';
import { SecretBox } from '../../src/common/crypto/secret-box.js';

describe('SecretBox', () => {
  const k1 = { id: 'k1', key: randomBytes(32) };
  const k2 = { id: 'k2', key: randomBytes(32) };

  it('seals without the plaintext in the output and opens it again', () => {
    const box = new SecretBox({ active: k1, previous: [] });
    const sealed = box.seal('{"appSecret":"s3cr3t-app","session":"6102a8f0"}', 'shop:12');
    expect(sealed.keyId).toBe('k1');
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('latin1')).not.toContain('s3cr3t');
    expect(box.open(sealed, 'shop:12')).toBe('{"appSecret":"s3cr3t-app","session":"6102a8f0"}');
  });

  it('refuses a value moved to another row or tampered with', () => {
    const box = new SecretBox({ active: k1, previous: [] });
    const sealed = box.seal('token', 'shop:12');
    expect(() => box.open(sealed, 'shop:13')).toThrow('failed authentication');
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => box.open({ ...sealed, ciphertext: raw.toString('base64') }, 'shop:12')).toThrow('failed authentication');
  });

  it('rotates: old values open with the previous key and reseal under the new one', () => {
    const old = new SecretBox({ active: k1, previous: [] }).seal('refresh-token-1', 'shop:1');
    const rotated = new SecretBox({ active: k2, previous: [k1] });
    const resealed = rotated.reseal(old, 'shop:1');
    expect(resealed.keyId).toBe('k2');
    expect(new SecretBox({ active: k2, previous: [] }).open(resealed, 'shop:1')).toBe('refresh-token-1');
    expect(() => new SecretBox({ active: k2, previous: [] }).open(old, 'shop:1')).toThrow('no master key with id "k1"');
  });
});

describe('JsonLogger', () => {
  it('writes one JSON object per line with secrets redacted', () => {
    const lines: string[] = [];
    const log = new JsonLogger('info', { write: (l) => void lines.push(l) });
    log.log({ msg: 'token refreshed', shopId: 3, signal: 'SIGTERM', sign: 'F00D', accessToken: 'at-123', nested: { app_secret: 'xyz', tid: '3920487712345678901' } }, 'shops');
    log.warn('GET https://gw/router?method=x&session=sess-999&sign=ABCD failed for mysql://kefu:pw@db/kefu');
    log.debug('not written at info');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 'info', context: 'shops', msg: 'token refreshed', shopId: 3, signal: 'SIGTERM', sign: '[redacted]', accessToken: '[redacted]', nested: { app_secret: '[redacted]', tid: '3920487712345678901' } });
    expect(lines.join('')).not.toMatch(/at-123|xyz|sess-999|ABCD|:pw@/);
  });
});
