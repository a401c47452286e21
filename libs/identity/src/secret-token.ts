import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Opaque secrets (refresh tokens, feed keys, display tokens) are stored only as their SHA-256. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** A new random secret with a readable kind prefix (`cofk_` feed key, `codp_` display, …). */
export function newSecret(kind: string): string {
  return `${kind}_${randomBytes(32).toString('base64url')}`;
}

/** What the admin pages show of a secret to tell it apart: its first characters. */
export function secretPrefix(secret: string): string {
  return secret.slice(0, 12);
}

/** A refresh token names its session and its place in the rotation: `<session id>.<generation>.<secret>`. */
export function refreshToken(sessionId: string, generation: number): string {
  return `${sessionId}.${generation}.${randomBytes(32).toString('base64url')}`;
}

export function parseRefreshToken(token: string): { sessionId: string; generation: number } | null {
  const match = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,9})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match ? { sessionId: match[1], generation: Number(match[2]) } : null;
}
