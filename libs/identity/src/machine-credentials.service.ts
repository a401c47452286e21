import { Injectable, Logger } from '@nestjs/common';
import type {
  CreateDisplayRequest,
  CreateFeedKeyRequest,
  DisplaySecret,
  DisplayView,
  FeedKeySecret,
  FeedKeyView,
  ListDisplaysQuery,
  ListFeedKeysQuery,
  UpdateDisplayRequest,
} from '@cityops/contracts';
import { ValidationError, AuditTrail } from '@cityops/core';
import { AuthService } from './auth.service';
import { CredentialRepository, type DisplayRow, type FeedKeyRow } from './credential.repository';
import {
  CredentialRevokedError,
  DisplayNameTakenError,
  DisplayNotFoundError,
  FeedKeyNameTakenError,
  FeedKeyNotFoundError,
} from './machine-credential.exception';
import type { Principal } from './principal';
import { ScopeService } from './scope.service';
import { hashSecret, newSecret, secretPrefix } from './secret-token';

/** PostgreSQL's foreign-key violation: here, a feed that does not exist. */
const FOREIGN_KEY_VIOLATION = '23503';
/** PostgreSQL's unique violation: here, a display renamed to the name of another active one. */
const UNIQUE_VIOLATION = '23505';

function sqlState(err: unknown): unknown {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  return e?.driverError?.code ?? e?.code;
}

/**
 * What admins do with machine credentials: per-feed keys for outside systems that push, and
 * registered display devices (wall screens). A secret is made here, handed out once in the answer
 * to create or rotate, and stored only as its hash; no other answer and no log line carries it.
 *
 * A rotated or revoked feed key stops working on this process at once and on every other within
 * `SESSION_CHECK_SECONDS` (their cache of keys lives that long). Rotating or revoking a display ends
 * its sessions, so a wall that held the old token must open a new session with the new one.
 */
@Injectable()
export class MachineCredentialsService {
  private readonly logger = new Logger(MachineCredentialsService.name);

  constructor(
    private readonly credentials: CredentialRepository,
    private readonly scopes: ScopeService,
    private readonly auth: AuthService,
  ) {}

  // ---- feed keys ----

  async listFeedKeys(query: ListFeedKeysQuery): Promise<FeedKeyView[]> {
    const rows = await this.credentials.listFeedKeys({
      feed: query.feed,
      revoked: query.revoked === undefined ? undefined : query.revoked === 'true',
    });
    return rows.map(feedKeyView);
  }

  async createFeedKey(request: CreateFeedKeyRequest, actor: Principal): Promise<FeedKeySecret> {
    const secret = newSecret('cofk');
    let row: FeedKeyRow | null;
    try {
      row = await this.credentials.insertFeedKey(request.feed, request.name, hashSecret(secret), secretPrefix(secret), actor.username);
    } catch (err) {
      // The feed is checked by the table's foreign key: identity does not depend on the feeds lib.
      if (sqlState(err) === FOREIGN_KEY_VIOLATION) {
        throw new ValidationError(
          [{ path: 'feed', message: `there is no feed "${request.feed}" (GET /api/feeds lists them)` }],
          'The key names a feed that does not exist.',
        );
      }
      throw err;
    }
    if (!row) throw new FeedKeyNameTakenError(request.feed, request.name);
    this.logger.log({ feedKeyId: row.id, feed: row.feed_key, name: row.name, by: actor.username }, 'feed key created');
    AuditTrail.noteChange({ targetType: 'feed_key', targetId: row.id, before: null, after: feedKeyView(row) });
    return { key: feedKeyView(row), secret };
  }

  async rotateFeedKey(id: string, actor: Principal): Promise<FeedKeySecret> {
    const secret = newSecret('cofk');
    const row = await this.credentials.rotateFeedKey(id, hashSecret(secret), secretPrefix(secret));
    if (!row) throw (await this.credentials.findFeedKey(id)) ? new CredentialRevokedError('feed key') : new FeedKeyNotFoundError();
    this.auth.forgetSubject(id);
    this.logger.log({ feedKeyId: id, feed: row.feed_key, by: actor.username }, 'feed key rotated');
    AuditTrail.noteChange({ targetType: 'feed_key', targetId: id, after: feedKeyView(row) });
    return { key: feedKeyView(row), secret };
  }

  /** Idempotent: revoking a revoked key answers it as it is. */
  async revokeFeedKey(id: string, actor: Principal): Promise<FeedKeyView> {
    const row = await this.credentials.revokeFeedKey(id);
    if (!row) throw new FeedKeyNotFoundError();
    this.auth.forgetSubject(id);
    this.logger.log({ feedKeyId: id, feed: row.feed_key, by: actor.username }, 'feed key revoked');
    AuditTrail.noteChange({ targetType: 'feed_key', targetId: id, after: feedKeyView(row) });
    return feedKeyView(row);
  }

  // ---- display devices ----

  async listDisplays(query: ListDisplaysQuery): Promise<DisplayView[]> {
    const rows = await this.credentials.listDisplays({ revoked: query.revoked === undefined ? undefined : query.revoked === 'true' });
    return Promise.all(rows.map((row) => this.displayView(row)));
  }

  async registerDisplay(request: CreateDisplayRequest, actor: Principal): Promise<DisplaySecret> {
    const scope = await this.scopes.toStored(request.scopes);
    const token = newSecret('codp');
    const row = await this.credentials.insertDisplay(
      { name: request.name, description: request.description, scopeAreaIds: scope.areaIds, scopeZoneSets: scope.zoneSets },
      hashSecret(token),
      secretPrefix(token),
      actor.username,
    );
    if (!row) throw new DisplayNameTakenError(request.name);
    this.logger.log({ displayId: row.id, name: row.name, by: actor.username }, 'display device registered');
    const display = await this.displayView(row);
    AuditTrail.noteChange({ targetType: 'display', targetId: row.id, before: null, after: display });
    return { display, token };
  }

  /** A new scope reaches the display's sessions within `SESSION_CHECK_SECONDS` (here at once); they go on. */
  async updateDisplay(id: string, request: UpdateDisplayRequest, actor: Principal): Promise<{ before: DisplayView; after: DisplayView }> {
    const existing = await this.credentials.findDisplay(id);
    if (!existing) throw new DisplayNotFoundError();
    if (existing.revoked_at) throw new CredentialRevokedError('display device');
    const scope = request.scopes ? await this.scopes.toStored(request.scopes) : undefined;
    let row: DisplayRow | null;
    try {
      row = await this.credentials.updateDisplay(id, {
        name: request.name,
        description: request.description,
        scopeAreaIds: scope?.areaIds,
        scopeZoneSets: scope?.zoneSets,
      });
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION && request.name !== undefined) throw new DisplayNameTakenError(request.name);
      throw err;
    }
    // Revoked between the read and the write.
    if (!row) throw new CredentialRevokedError('display device');
    this.auth.forgetSubject(id);
    this.logger.log({ displayId: id, by: actor.username }, 'display device changed');
    const change = { before: await this.displayView(existing), after: await this.displayView(row) };
    AuditTrail.noteChange({ targetType: 'display', targetId: id, ...change });
    return change;
  }

  async rotateDisplay(id: string, actor: Principal): Promise<DisplaySecret> {
    const token = newSecret('codp');
    const row = await this.credentials.rotateDisplay(id, hashSecret(token), secretPrefix(token));
    if (!row) throw (await this.credentials.findDisplay(id)) ? new CredentialRevokedError('display device') : new DisplayNotFoundError();
    // Sessions opened with the old token might be someone else's: the wall signs in again.
    await this.auth.endSessionsOf('display', id, 'display token rotated');
    this.logger.log({ displayId: id, by: actor.username }, 'display token rotated');
    const display = await this.displayView(row);
    AuditTrail.noteChange({ targetType: 'display', targetId: id, after: display });
    return { display, token };
  }

  /** Idempotent; every session of the display ends (sockets within `SESSION_CHECK_SECONDS`). */
  async revokeDisplay(id: string, actor: Principal): Promise<DisplayView> {
    const row = await this.credentials.revokeDisplay(id);
    if (!row) throw new DisplayNotFoundError();
    await this.auth.endSessionsOf('display', id, 'display revoked');
    this.logger.log({ displayId: id, by: actor.username }, 'display device revoked');
    const display = await this.displayView(row);
    AuditTrail.noteChange({ targetType: 'display', targetId: id, after: display });
    return display;
  }

  private async displayView(row: DisplayRow): Promise<DisplayView> {
    const { views } = await this.scopes.resolve({ areaIds: row.scope_area_ids, zoneSets: row.scope_zone_sets });
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      scopes: views,
      prefix: row.prefix,
      createdAt: row.created_at.toISOString(),
      lastSeenAt: iso(row.last_seen_at),
      rotatedAt: iso(row.rotated_at),
      revokedAt: iso(row.revoked_at),
    };
  }
}

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

function feedKeyView(row: FeedKeyRow): FeedKeyView {
  return {
    id: row.id,
    feed: row.feed_key,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    lastUsedAt: iso(row.last_used_at),
    rotatedAt: iso(row.rotated_at),
    revokedAt: iso(row.revoked_at),
  };
}
