/**
 * Access tokens whose signature this process has checked, with their claims, until each expires.
 *
 * Verifying a JWT (HMAC, base64 and JSON) costs more than everything else a cached vector tile
 * needs; the map asks for dozens of tiles a second with the same token. Only the signature and the
 * expiry are remembered here: whether the token's session is still open is checked as before, by
 * the session cache of `AuthService` (at most `SESSION_CHECK_SECONDS` old). Bounded by count; the
 * least recently used token is dropped first (a Map keeps insertion order, and a hit re-inserts).
 */
export class VerifiedTokens<Claims> {
  private readonly entries = new Map<string, { claims: Claims; expiresAtMs: number }>();

  constructor(private readonly maxEntries: number) {}

  /** The claims of a token checked before and not yet expired at `now` (ms), else undefined. */
  get(token: string, now: number): Claims | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    this.entries.delete(token);
    if (entry.expiresAtMs <= now) return undefined;
    this.entries.set(token, entry);
    return entry.claims;
  }

  /** Remembers a token that verified; `exp` is its claim in seconds since the epoch (none: not kept). */
  set(token: string, claims: Claims, exp: number | undefined): void {
    if (typeof exp !== 'number' || !Number.isFinite(exp)) return;
    this.entries.delete(token);
    this.entries.set(token, { claims, expiresAtMs: exp * 1000 });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
