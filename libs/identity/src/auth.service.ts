import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { hash, verify } from '@node-rs/argon2';
import type { LoginResponse, Role, ScopeRef, SessionUser } from '@cityops/contracts';
import { APP_CONFIG, type AppConfig, RateLimitService, RedisService, ValidationError } from '@cityops/core';
import { actorOf, type AuditActor, AuditService, type AuditEventInput } from './audit.service';
import { CredentialRepository } from './credential.repository';
import { TooManyAttemptsError, UnauthorizedError } from './identity.exception';
import { passwordProblem } from './password-policy';
import type { Principal } from './principal';
import { ScopeService } from './scope.service';
import { hashSecret, parseRefreshToken, refreshToken, sameHash, secretPrefix } from './secret-token';
import { SessionRepository, type SessionPrincipalKind } from './session.repository';
import { UserRepository } from './user.repository';
import { VerifiedTokens } from './verified-tokens';

const MAX_LOGIN_FAILURES = 10;
const LOGIN_LOCK_SECONDS = 15 * 60;
/** Cached principals kept at most; past it, stale entries are dropped first. */
const MAX_CACHED = 20_000;
/** Access tokens whose signature is remembered at most (a map's tiles come with one token each time). */
const MAX_VERIFIED_TOKENS = 10_000;

/** Only the session is in the token: roles, scope and state are read from the session's owner. */
interface AccessTokenClaims {
  sid: string;
  sub: string;
  kind: SessionPrincipalKind;
  exp?: number;
}

/** Where a sign-in or refresh came from, kept with the session. */
export interface ClientInfo {
  address: string;
  userAgent: string | null;
}

interface Cached {
  principal: Principal;
  checkedAt: number;
}

/** Who tried to sign in, by the name they gave (and the account, when there is one). */
function named(username: string, id?: string): AuditActor {
  return { kind: 'user', id: id ?? null, name: username };
}

/** A session that ended while a token or socket still pointed at it. */
export class SessionEndedError extends UnauthorizedError {
  constructor(detail = 'The session has ended (signed out, revoked, or the account was disabled); sign in again.') {
    super(detail);
  }
}

/**
 * Sign-in, sessions and who a bearer token belongs to.
 *
 * A sign-in opens a session (a row of `auth_session`): a short-lived JWT naming the session and a
 * refresh token that is good once; each refresh rotates it, and presenting a spent one ends the
 * session, since it means the token was copied. Every request resolves the session to its owner
 * (user or display) with roles and scope read fresh at most `SESSION_CHECK_SECONDS` ago, so a
 * disabled user, a changed role or a revoked display takes effect within that on every process.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  // Verifying against a fixed hash when the user is unknown keeps timing the same either way.
  private dummyHash: Promise<string> | undefined;
  private readonly sessions = new Map<string, Cached>();
  private readonly feedKeys = new Map<string, Cached>();
  private readonly verified = new VerifiedTokens<AccessTokenClaims>(MAX_VERIFIED_TOKENS);

  constructor(
    private readonly users: UserRepository,
    private readonly sessionRows: SessionRepository,
    private readonly credentials: CredentialRepository,
    private readonly scopes: ScopeService,
    private readonly audit: AuditService,
    private readonly jwt: JwtService,
    private readonly redis: RedisService,
    private readonly limits: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string, client: ClientInfo): Promise<LoginResponse> {
    const account = username.toLowerCase();
    // Failures are counted per account and address: guessing is slowed, and nobody elsewhere can
    // lock the real user out. Checked first: a locked account says so, however the rates stand.
    const failKey = this.redis.key('login-failures', account, client.address);
    const failures = Number((await this.redis.client.get(failKey)) ?? 0);
    if (failures >= MAX_LOGIN_FAILURES) {
      // The lock lasts as long as the failure count lives; the client is told when it ends.
      const remaining = await this.redis.client.ttl(failKey);
      await this.record({ action: 'auth.sign_in_failed', outcome: 'denied', actor: named(account), detail: { reason: 'locked' } });
      throw new TooManyAttemptsError(remaining > 0 ? remaining : LOGIN_LOCK_SECONDS);
    }
    // Every attempt counts here, right or wrong: one address cannot try many accounts quickly, and
    // many addresses together cannot try one account quickly (which the lockout, per address, allows).
    await this.limits.consume('sign-in attempts', [
      { bucket: ['sign-in', 'address', client.address], limit: this.config.rateLimits.signInPerAddress },
      { bucket: ['sign-in', 'user', account], limit: this.config.rateLimits.signInPerUser },
    ]);
    const user = await this.users.findByUsername(account);
    this.dummyHash ??= hash('not-a-password');
    const ok = await verify(user?.password_hash ?? (await this.dummyHash), password).catch(() => false);
    if (!user || !ok || user.disabled) {
      await this.redis.client.multi().incr(failKey).expire(failKey, LOGIN_LOCK_SECONDS).exec();
      this.logger.warn({ username: account, clientIp: client.address }, 'failed sign-in');
      const reason = !user ? 'unknown user' : !ok ? 'wrong password' : 'account disabled';
      await this.record({ action: 'auth.sign_in_failed', outcome: 'denied', actor: named(account, user?.id), detail: { reason } });
      throw new UnauthorizedError('Wrong username or password.');
    }
    await this.redis.client.del(failKey);
    await this.users.noteSignIn(user.id);
    const session = await this.open('user', user.id, client);
    await this.recordSession('auth.sign_in', session);
    return session;
  }

  /** A wall screen trades its display token for a session that renews itself. */
  async kioskLogin(token: string, client: ClientInfo): Promise<LoginResponse> {
    await this.limits.consume('display sign-ins', [
      { bucket: ['kiosk-sign-in', 'address', client.address], limit: this.config.rateLimits.signInPerAddress },
    ]);
    const display = await this.credentials.findActiveDisplayByToken(hashSecret(token));
    if (!display) {
      await this.record({
        action: 'auth.display_sign_in_failed',
        outcome: 'denied',
        actor: { kind: 'anonymous' },
        detail: { reason: 'unknown or revoked token' },
      });
      throw new UnauthorizedError('Unknown or revoked display token.');
    }
    await this.credentials.noteDisplaySeen(display.id);
    const session = await this.open('display', display.id, client);
    await this.recordSession('auth.display_sign_in', session);
    return session;
  }

  /** Trades a refresh token for a new pair; a spent one ends its session. */
  async refresh(token: string, client: ClientInfo): Promise<LoginResponse> {
    await this.limits.consume('session refreshes', [
      { bucket: ['refresh', 'address', client.address], limit: this.config.rateLimits.signInPerAddress },
    ]);
    const parsed = parseRefreshToken(token);
    if (!parsed) throw new UnauthorizedError('The refresh token is not valid.');
    const row = await this.sessionRows.find(parsed.sessionId);
    if (!row || row.revoked_at || row.expires_at.getTime() <= Date.now()) throw new SessionEndedError();
    if (parsed.generation !== row.refresh_generation || !sameHash(hashSecret(token), row.refresh_hash)) {
      await this.endSession(row.id, 'refresh token reused');
      this.logger.warn({ sessionId: row.id, clientIp: client.address }, 'refresh token reused: session ended');
      await this.record({
        action: 'auth.refresh_reused',
        outcome: 'denied',
        actor: { kind: row.principal_kind, id: row.principal_id },
        targetType: 'session',
        targetId: row.id,
        detail: { effect: 'session ended' },
      });
      throw new SessionEndedError('This refresh token was used already, so the session has been ended for safety; sign in again.');
    }
    // The owner is checked again: a disabled user or revoked display gets no new token.
    await this.principalOf(row.id, { sid: row.id, sub: row.principal_id, kind: row.principal_kind }, true);
    const next = refreshToken(row.id, row.refresh_generation + 1);
    const expiresAt = this.sessionExpiry(row.principal_kind);
    if (!(await this.sessionRows.rotate(row.id, row.refresh_generation, hashSecret(next), expiresAt))) {
      // Another refresh with the same token won the race: the same token was presented twice.
      await this.endSession(row.id, 'refresh token reused');
      throw new SessionEndedError('This refresh token was used already, so the session has been ended for safety; sign in again.');
    }
    if (row.principal_kind === 'display') await this.credentials.noteDisplaySeen(row.principal_id);
    return this.tokens({ sid: row.id, sub: row.principal_id, kind: row.principal_kind }, next, expiresAt);
  }

  async logout(principal: Principal): Promise<void> {
    if (!principal.sessionId) return;
    await this.endSession(principal.sessionId, 'signed out');
    await this.record({
      action: 'auth.sign_out',
      outcome: 'success',
      actor: actorOf(principal),
      targetType: 'session',
      targetId: principal.sessionId,
    });
  }

  /** A person changes their own password; their other sessions end. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<SessionUser> {
    const user = principal.kind === 'user' ? await this.users.findById(principal.subject) : null;
    if (!user) throw new UnauthorizedError('Only a person can change a password.');
    if (!(await verify(user.password_hash, currentPassword).catch(() => false))) {
      await this.record({
        action: 'auth.password_change',
        outcome: 'denied',
        actor: actorOf(principal),
        detail: { reason: 'wrong current password' },
      });
      throw new ValidationError([{ path: 'currentPassword', message: 'is not the current password' }], 'The current password is wrong.');
    }
    const problem = passwordProblem(newPassword, { username: user.username, displayName: user.display_name });
    if (problem) throw new ValidationError([{ path: 'newPassword', message: problem }], `The new password ${problem}.`);
    if (await verify(user.password_hash, newPassword).catch(() => false)) {
      throw new ValidationError(
        [{ path: 'newPassword', message: 'is the current password' }],
        'Choose a password other than the current one.',
      );
    }
    await this.users.setPassword(user.id, await hash(newPassword), false);
    await this.endSessionsOf('user', user.id, 'password changed', principal.sessionId);
    await this.record({
      action: 'auth.password_change',
      outcome: 'success',
      actor: actorOf(principal),
      targetType: 'user',
      targetId: user.id,
    });
    this.forgetSession(principal.sessionId);
    const refreshed = await this.principalOf(principal.sessionId!, { sid: principal.sessionId!, sub: user.id, kind: 'user' }, true);
    return this.sessionUser(refreshed);
  }

  /** Accepts an access token (JWT) or a feed key. */
  async authenticate(bearer: string): Promise<Principal> {
    if (bearer.split('.').length === 3) {
      // The signature is checked once per token; the session behind it as often as ever (principalOf).
      let claims = this.verified.get(bearer, Date.now());
      if (claims === undefined) {
        try {
          claims = await this.jwt.verifyAsync<AccessTokenClaims>(bearer);
        } catch {
          throw new UnauthorizedError('The access token is invalid or has expired.');
        }
        if (typeof claims.sid !== 'string') throw new UnauthorizedError('The access token is invalid or has expired.');
        this.verified.set(bearer, claims, claims.exp);
      }
      return this.principalOf(claims.sid, claims);
    }
    return this.feedKeyPrincipal(bearer);
  }

  /** When the access token expires (seconds since the epoch), for sockets that must end then. */
  tokenExpiry(bearer: string): number | null {
    const decoded: unknown = this.jwt.decode(bearer);
    const exp = (decoded as { exp?: unknown } | null)?.exp;
    return typeof exp === 'number' ? exp : null;
  }

  sessionUser(principal: Principal): SessionUser {
    return {
      id: principal.subject,
      username: principal.username,
      displayName: principal.displayName,
      kind: principal.kind,
      roles: principal.roles,
      scopes: principal.scopeViews,
      cityWide: principal.scope.cityWide,
      department: principal.department,
      mustChangePassword: principal.mustChangePassword,
    };
  }

  /** Ends every session of a user or display now (here) and within SESSION_CHECK_SECONDS everywhere. */
  async endSessionsOf(kind: SessionPrincipalKind, id: string, reason: string, keep: string | null = null): Promise<void> {
    await this.sessionRows.revokeAllOf(kind, id, reason, keep);
    for (const [sid, cached] of this.sessions) {
      if (cached.principal.kind === kind && cached.principal.subject === id && sid !== keep) this.sessions.delete(sid);
    }
  }

  /** A change to a user, display or key: this process re-reads it on the next request. */
  forgetSubject(id: string): void {
    for (const [key, cached] of this.sessions) if (cached.principal.subject === id) this.sessions.delete(key);
    for (const [key, cached] of this.feedKeys) if (cached.principal.subject === id) this.feedKeys.delete(key);
  }

  /** Forgets sessions that ended over a day ago (what is left of them is in the audit trail). */
  pruneEndedSessions(): Promise<number> {
    return this.sessionRows.deleteEndedBefore(new Date(Date.now() - 24 * 3600_000));
  }

  /** Start-up: the `admin` user exists (its password is only set when it is created). */
  async ensureAdmin(password: string): Promise<boolean> {
    return this.users.insertIfMissing({
      username: 'admin',
      displayName: '系统管理员 Administrator',
      passwordHash: await hash(password),
      roles: ['admin'],
      department: null,
      scopeAreaIds: (await this.scopes.cityScope()).areaIds,
      scopeZoneSets: [],
      mustChangePassword: false,
    });
  }

  /**
   * Start-up: an account that a program signs in as (its password given by the deployment). Made
   * when missing; an existing one keeps its roles, scope and state (an admin's changes survive),
   * and is given `password` when it holds another, its sessions ended. Answers whether it was made.
   */
  async ensureAccount(
    account: { username: string; displayName: string; roles: Role[]; department: string | null; scopes: readonly ScopeRef[] },
    password: string,
  ): Promise<boolean> {
    const existing = await this.users.findByUsername(account.username);
    if (existing) {
      if (await verify(existing.password_hash, password)) return false;
      await this.users.setPassword(existing.id, await hash(password), false);
      await this.endSessionsOf('user', existing.id, 'password rotated at start-up');
      this.forgetSubject(existing.id);
      return false;
    }
    const scope = await this.scopes.toStored(account.scopes);
    return this.users.insertIfMissing({
      username: account.username,
      displayName: account.displayName,
      passwordHash: await hash(password),
      roles: [...new Set(account.roles)],
      department: account.department,
      scopeAreaIds: scope.areaIds,
      scopeZoneSets: scope.zoneSets,
      mustChangePassword: false,
    });
  }

  /** Start-up: a city-wide display holding this token (rotated to it if it held another). */
  async ensureDisplay(name: string, token: string): Promise<void> {
    await this.credentials.putDisplay(name, hashSecret(token), secretPrefix(token), (await this.scopes.cityScope()).areaIds);
  }

  /** Start-up: the named key of a feed holds this secret, like a key an admin handed to an outside system. */
  async ensureFeedKey(feed: string, name: string, secret: string): Promise<void> {
    await this.credentials.putFeedKey(feed, name, hashSecret(secret), secretPrefix(secret));
  }

  /**
   * Sign-in events are on record before the answer goes out: the audit trail's write routes skip
   * /api/auth, whose events only this service can name (who tried, why it failed).
   */
  private record(event: AuditEventInput): Promise<void> {
    return this.audit.record(event);
  }

  private recordSession(action: string, session: LoginResponse): Promise<void> {
    const u = session.user;
    return this.record({
      action,
      outcome: 'success',
      actor: { kind: u.kind, id: u.id, name: u.username, roles: u.roles },
      targetType: 'session',
      targetId: this.jwt.decode<AccessTokenClaims>(session.accessToken).sid,
    });
  }

  private async open(kind: SessionPrincipalKind, id: string, client: ClientInfo): Promise<LoginResponse> {
    const expiresAt = this.sessionExpiry(kind);
    const sessionId = randomUUID();
    const token = refreshToken(sessionId, 0);
    await this.sessionRows.create(sessionId, kind, id, hashSecret(token), expiresAt, client);
    return this.tokens({ sid: sessionId, sub: id, kind }, token, expiresAt);
  }

  private async tokens(claims: AccessTokenClaims, refresh: string, refreshExpiresAt: Date): Promise<LoginResponse> {
    const principal = await this.principalOf(claims.sid, claims, true);
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.jwt.ttlSeconds });
    return {
      accessToken,
      expiresAt: new Date(Date.now() + this.config.jwt.ttlSeconds * 1000).toISOString(),
      refreshToken: refresh,
      refreshExpiresAt: refreshExpiresAt.toISOString(),
      user: this.sessionUser(principal),
    };
  }

  private sessionExpiry(kind: SessionPrincipalKind): Date {
    const { idleHours, displayDays } = this.config.sessions;
    return new Date(Date.now() + (kind === 'display' ? displayDays * 24 : idleHours) * 3600_000);
  }

  private async endSession(sessionId: string, reason: string): Promise<void> {
    await this.sessionRows.revoke(sessionId, reason);
    this.forgetSession(sessionId);
  }

  private forgetSession(sessionId: string | null): void {
    if (sessionId) this.sessions.delete(sessionId);
  }

  /** The owner of a live session, from memory when it was checked recently enough. */
  private async principalOf(sid: string, claims: AccessTokenClaims, fresh = false): Promise<Principal> {
    const cached = this.sessions.get(sid);
    if (!fresh && cached && Date.now() - cached.checkedAt < this.config.sessions.checkSeconds * 1000) return cached.principal;
    const row = await this.sessionRows.find(sid);
    if (!row || row.revoked_at || row.expires_at.getTime() <= Date.now() || row.principal_id !== claims.sub) {
      this.sessions.delete(sid);
      throw new SessionEndedError();
    }
    const principal =
      row.principal_kind === 'user' ? await this.userPrincipal(row.principal_id, sid) : await this.displayPrincipal(row.principal_id, sid);
    if (!principal) {
      this.sessions.delete(sid);
      throw new SessionEndedError();
    }
    this.remember(this.sessions, sid, principal);
    return principal;
  }

  private async userPrincipal(id: string, sessionId: string): Promise<Principal | null> {
    const user = await this.users.findById(id);
    if (!user || user.disabled) return null;
    const { scope, views } = await this.scopes.resolve(
      { areaIds: user.scope_area_ids, zoneSets: user.scope_zone_sets },
      user.roles.includes('admin'),
    );
    return {
      kind: 'user',
      subject: user.id,
      username: user.username,
      displayName: user.display_name,
      roles: user.roles,
      scope,
      scopeViews: views,
      department: user.department,
      sessionId,
      feedKey: null,
      mustChangePassword: user.must_change_password,
    };
  }

  private async displayPrincipal(id: string, sessionId: string): Promise<Principal | null> {
    const display = await this.credentials.findDisplay(id);
    if (!display || display.revoked_at) return null;
    await this.credentials.noteDisplaySeen(display.id);
    const { scope, views } = await this.scopes.resolve({ areaIds: display.scope_area_ids, zoneSets: display.scope_zone_sets });
    return {
      kind: 'display',
      subject: display.id,
      username: display.name,
      displayName: display.name,
      roles: [],
      scope,
      scopeViews: views,
      department: null,
      sessionId,
      feedKey: null,
      mustChangePassword: false,
    };
  }

  private async feedKeyPrincipal(secret: string): Promise<Principal> {
    const secretHash = hashSecret(secret);
    const cached = this.feedKeys.get(secretHash);
    if (cached && Date.now() - cached.checkedAt < this.config.sessions.checkSeconds * 1000) return cached.principal;
    const key = await this.credentials.findActiveFeedKey(secretHash);
    if (!key) {
      this.feedKeys.delete(secretHash);
      throw new UnauthorizedError('Unknown or revoked key.');
    }
    await this.credentials.noteFeedKeyUsed(key.id);
    const principal: Principal = {
      kind: 'feed',
      subject: key.id,
      username: key.name,
      displayName: key.name,
      roles: [],
      scope: { cityWide: false, roots: [] },
      scopeViews: [],
      department: null,
      sessionId: null,
      feedKey: key.feed_key,
      mustChangePassword: false,
    };
    this.remember(this.feedKeys, secretHash, principal);
    return principal;
  }

  private remember(cache: Map<string, Cached>, key: string, principal: Principal): void {
    if (cache.size >= MAX_CACHED) {
      const horizon = Date.now() - this.config.sessions.checkSeconds * 1000;
      for (const [k, v] of cache) if (v.checkedAt < horizon) cache.delete(k);
      if (cache.size >= MAX_CACHED) cache.clear();
    }
    cache.set(key, { principal, checkedAt: Date.now() });
  }
}
