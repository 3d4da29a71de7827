import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface KeyRing {
  active: { id: string; key: Buffer };
  previous: { id: string; key: Buffer }[];
}

/** What is stored: which key sealed it, and the sealed bytes. Never the plaintext. */
export interface Sealed {
  keyId: string;
  /** base64(iv[12] | tag[16] | ciphertext) */
  ciphertext: string;
}

/**
 * AES-256-GCM for credentials and the plain-text buyer data agents enter. The key id travels with
 * every ciphertext, so rotating the master key only needs the old key kept until rows are re-sealed.
 * `aad` binds a ciphertext to its row (e.g. "shop:12"), so a sealed value cannot be moved to another.
 */
export class SecretBox {
  constructor(private readonly ring: KeyRing) {}

  get activeKeyId(): string {
    return this.ring.active.id;
  }

  seal(plaintext: string, aad: string): Sealed {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.ring.active.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.ring.active.id, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
  }

  open(sealed: Sealed, aad: string): string {
    const key = this.keyFor(sealed.keyId);
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      // Never echo the ciphertext or the key: only say which key id failed.
      throw new Error(`sealed value under key "${sealed.keyId}" failed authentication`);
    }
  }

  /** Re-seals under the active key; a value already under it is returned unchanged. */
  reseal(sealed: Sealed, aad: string): Sealed {
    return sealed.keyId === this.ring.active.id ? sealed : this.seal(this.open(sealed, aad), aad);
  }

  private keyFor(id: string): Buffer {
    if (id === this.ring.active.id) return this.ring.active.key;
    const old = this.ring.previous.find((k) => k.id === id);
    if (!old) throw new Error(`no master key with id "${id}" is configured (KEFU_PREVIOUS_MASTER_KEYS)`);
    return old.key;
  }
}
