import { createCipheriv, createDecipheriv } from 'node:crypto';

/** Kuaishou push bodies use CBC with an all-zero IV; the key is the app's Base64 "消息私钥". */
const ZERO_IV = Buffer.alloc(16, 0);

function cipherName(key: Buffer): 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' {
  if (key.length === 16) return 'aes-128-cbc';
  if (key.length === 24) return 'aes-192-cbc';
  if (key.length === 32) return 'aes-256-cbc';
  throw new Error(`push AES key must be 16, 24 or 32 bytes, got ${key.length}`);
}

/** Base64(AES-CBC-PKCS5(utf8 plaintext)), the text/plain body a push receiver gets. */
export function encryptKuaishouPush(plaintext: string, pushAesKeyBase64: string): string {
  const key = Buffer.from(pushAesKeyBase64, 'base64');
  const cipher = createCipheriv(cipherName(key), key, ZERO_IV);
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

export function decryptKuaishouPush(body: string, pushAesKeyBase64: string): string {
  const key = Buffer.from(pushAesKeyBase64, 'base64');
  const decipher = createDecipheriv(cipherName(key), key, ZERO_IV);
  return Buffer.concat([decipher.update(Buffer.from(body.trim(), 'base64')), decipher.final()]).toString('utf8');
}
