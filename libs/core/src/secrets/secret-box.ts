import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';

/** A sealed value that cannot be opened: another key, or altered text. */
export class SecretUnreadableError extends Error {
  constructor() {
    super('a stored secret cannot be opened with SECRETS_KEY (another key sealed it, or it was altered)');
    this.name = 'SecretUnreadableError';
  }
}

/**
 * Seals values the database must hold but must not show (a pull connector's API key): AES-256-GCM
 * under a key derived from `SECRETS_KEY`, each value with its own nonce, so a copy of the database
 * alone reveals nothing and an altered value is refused rather than misread.
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'secretsKey'>) {
    // SECRETS_KEY is any string of 32+ characters; the cipher wants exactly 32 bytes.
    this.key = createHash('sha256').update(config.secretsKey).digest();
  }

  /** `v1.<nonce>.<tag>.<ciphertext>` (base64url) of the value's JSON. */
  seal(value: unknown): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.key, nonce);
    const sealed = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [VERSION, nonce.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
  }

  open<T>(text: string): T {
    const [version, nonce, tag, sealed] = text.split('.');
    if (version !== VERSION || !nonce || !tag || sealed === undefined) throw new SecretUnreadableError();
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, Buffer.from(nonce, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
      return JSON.parse(plain) as T;
    } catch {
      throw new SecretUnreadableError();
    }
  }
}
