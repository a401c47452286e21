import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { hash, verify } from '@node-rs/argon2';
import type { LoginResponse, Role } from '@cityops/contracts';
import { APP_CONFIG, type AppConfig, RateLimitService, RedisService } from '@cityops/core';
import { TooManyAttemptsError, UnauthorizedError } from './identity.exception';
import { IdentityRepository } from './identity.repository';
import type { Principal } from './principal';

const MAX_LOGIN_FAILURES = 10;
const LOGIN_LOCK_SECONDS = 15 * 60;

interface AccessTokenClaims {
  sub: string;
  username: string;
  kind: Principal['kind'];
  roles: Role[];
}

/** Opaque machine tokens are stored only as their SHA-256; they are long random strings. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  // Verifying against a fixed hash when the user is unknown keeps timing the same either way.
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly repo: IdentityRepository,
    private readonly jwt: JwtService,
    private readonly redis: RedisService,
    private readonly limits: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string, clientIp = 'unknown'): Promise<LoginResponse> {
    const account = username.toLowerCase();
    // Failures are counted per account and address: guessing is slowed, and nobody elsewhere can
    // lock the real user out. Checked first: a locked account says so, however the rates stand.
    const failKey = this.redis.key('login-failures', account, clientIp);
    const failures = Number((await this.redis.client.get(failKey)) ?? 0);
    if (failures >= MAX_LOGIN_FAILURES) {
      // The lock lasts as long as the failure count lives; the client is told when it ends.
      const remaining = await this.redis.client.ttl(failKey);
      throw new TooManyAttemptsError(remaining > 0 ? remaining : LOGIN_LOCK_SECONDS);
    }
    // Every attempt counts here, right or wrong: one address cannot try many accounts quickly, and
    // many addresses together cannot try one account quickly (which the lockout, per address, allows).
    await this.limits.consume('sign-in attempts', [
      { bucket: ['sign-in', 'address', clientIp], limit: this.config.rateLimits.signInPerAddress },
      { bucket: ['sign-in', 'user', account], limit: this.config.rateLimits.signInPerUser },
    ]);
    const user = await this.repo.findUserByUsername(username);
    this.dummyHash ??= hash('not-a-password');
    const ok = await verify(user?.password_hash ?? (await this.dummyHash), password).catch(() => false);
    if (!user || !ok || user.disabled) {
      await this.redis.client.multi().incr(failKey).expire(failKey, LOGIN_LOCK_SECONDS).exec();
      this.logger.warn({ username, clientIp }, 'failed sign-in');
      throw new UnauthorizedError('Wrong username or password.');
    }
    await this.redis.client.del(failKey);
    return this.issue({ sub: user.id, username: user.username, kind: 'user', roles: user.roles }, user.display_name);
  }

  /** A wall screen trades its long-lived kiosk token for a short-lived read-only access token. */
  async kioskLogin(token: string, clientIp = 'unknown'): Promise<LoginResponse> {
    await this.limits.consume('kiosk sign-ins', [
      { bucket: ['kiosk-sign-in', 'address', clientIp], limit: this.config.rateLimits.signInPerAddress },
    ]);
    const row = await this.repo.findActiveToken(hashApiToken(token));
    if (!row || row.kind !== 'kiosk') throw new UnauthorizedError('Unknown or revoked kiosk token.');
    return this.issue({ sub: row.id, username: row.name, kind: 'kiosk', roles: row.roles }, row.name);
  }

  /** Accepts an access token (JWT) or a machine token (feed pushers). */
  async authenticate(bearer: string): Promise<Principal> {
    if (bearer.split('.').length === 3) {
      try {
        const claims = await this.jwt.verifyAsync<AccessTokenClaims>(bearer);
        return { subject: claims.sub, username: claims.username, kind: claims.kind, roles: claims.roles, feedKeys: [] };
      } catch {
        throw new UnauthorizedError('The access token is invalid or has expired.');
      }
    }
    const row = await this.repo.findActiveToken(hashApiToken(bearer));
    if (!row) throw new UnauthorizedError('Unknown or revoked token.');
    return { subject: row.id, username: row.name, kind: row.kind, roles: row.roles, feedKeys: row.feed_keys };
  }

  /** Start-up: the `admin` user exists (its password is only set when it is created). */
  async ensureAdmin(password: string): Promise<boolean> {
    return this.repo.insertUserIfMissing('admin', '系统管理员 Administrator', await hash(password), ['admin']);
  }

  async ensureKioskToken(name: string, token: string): Promise<void> {
    await this.repo.upsertToken(name, 'kiosk', hashApiToken(token), ['viewer'], []);
  }

  async ensureFeedToken(name: string, token: string, feedKeys: string[]): Promise<void> {
    await this.repo.upsertToken(name, 'feed', hashApiToken(token), ['feed'], feedKeys);
  }

  private async issue(claims: AccessTokenClaims, displayName: string): Promise<LoginResponse> {
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.jwt.ttlSeconds });
    return {
      accessToken,
      expiresAt: new Date(Date.now() + this.config.jwt.ttlSeconds * 1000).toISOString(),
      user: { id: claims.sub, username: claims.username, displayName, roles: claims.roles },
    };
  }
}
