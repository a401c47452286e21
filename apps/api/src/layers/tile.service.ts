import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { CaseService } from '@cityops/cases';
import { NotFoundError, RedisService } from '@cityops/core';
import { EntityService, ObservationQueryService } from '@cityops/feeds';
import { AreaService, type ScopeRoots } from '@cityops/geo';
import type { AreaScope, Principal } from '@cityops/identity';
import { policyRefusal } from '../auth/auth.guard';
import { CASE_WALL_READERS, caseCallerOf } from '../cases/case-access';
import type { Policy } from '../http/endpoint.decorator';
import { LayerFeeds } from './layer-feeds.service';
import { ENTITY_MINZOOM, HEAT_MINZOOM, parseLayerKey } from './layer-keys';
import { TileLru } from './tile-lru';

/** Where a served tile came from: this process's memory, Redis (another process made it, or this one before a restart), or PostGIS. */
export type TileCacheState = 'memory' | 'redis' | 'miss' | 'none';

export interface ServedTile {
  /** Null when the caller's `If-None-Match` already names this tile. */
  body: Buffer | null;
  etag: string;
  cacheControl: string;
  cache: TileCacheState;
  /** What the answer waited for, in ms (the route's `Server-Timing`): the shared cache's lookup, the tile's query. */
  timing: { redis?: number; db?: number };
}

const since = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e6;

/** Readings of the last HEAT_WINDOW_MINUTES make a heat tile; it is cut again every HEAT_BUCKET_SECONDS. */
export const HEAT_WINDOW_MINUTES = 15;
export const HEAT_BUCKET_SECONDS = 60;

const LRU_BYTES = 64 * 1024 * 1024;
const AREA_TTL_SECONDS = 24 * 3600;
const ENTITY_TTL_SECONDS = 3600;
/** Cases' tiles are keyed by a version that turns over every CASE_VERSION_PERIOD_MS anyway. */
const CASE_TTL_SECONDS = 900;

/** One layer's way to a tile: what its cached copies are keyed by, how long they live, and the query. */
interface TileSource {
  version: () => Promise<string>;
  ttlSeconds: number;
  cacheControl: string;
  minzoom: number;
  /** Who may read the layer, past the tile route's own policy; anyone who may ask for tiles when absent. */
  access?: Policy;
  /** What the caller sees of the layer, as part of the cache key, when more than its scope decides it. */
  sight?: (principal: Principal) => string;
  render: (z: number, x: number, y: number, scope: ScopeRoots, principal: Principal) => Promise<Buffer>;
}

/** A caller's scope as the tile queries take it, and as part of a cache key. */
interface TileScope {
  roots: ScopeRoots;
  key: string;
}

/** A sight as part of a cache key: short ones as they are, long ones hashed. */
const keyPart = (sight: string): string => (sight.length <= 64 ? sight : `h${createHash('sha1').update(sight).digest('base64url')}`);

/** The scope as part of a cache key: callers with the same roots share tiles, others never do. */
function scopeKey(scope: ScopeRoots): string {
  if (scope === null) return 'city';
  return keyPart(`s${[...scope].sort((a, b) => a - b).join(',')}`);
}

/**
 * Made once per scope object: a principal is cached per session (AuthService), and its scope
 * object with it, so a session's tiles sort and join its roots once, not per tile. A WeakMap lets
 * the entry go with the principal.
 */
const tileScopes = new WeakMap<AreaScope, TileScope>();

export function tileScope(scope: AreaScope): TileScope {
  let made = tileScopes.get(scope);
  if (!made) {
    const roots = scope.cityWide ? null : [...scope.roots];
    made = { roots, key: scopeKey(roots) };
    tileScopes.set(scope, made);
  }
  return made;
}

/** A principal's sight of the cases, worked out once per principal (cached per session, like its scope). */
const caseSights = new WeakMap<Principal, string>();

/**
 * Vector tiles of the map's big layers, cached twice: in this process (an LRU of 64 MB) and in
 * Redis (shared by every API process, so a tile is made once per data version). A cached tile's
 * key holds the layer, the tile, the caller's scope and the version of the data behind it (a
 * counter bumped by every area import and entity write, or the heat layer's time bucket), so a
 * change is never answered from a stale copy and nothing has to be deleted. The same key, hashed,
 * is the ETag.
 */
@Injectable()
export class TileService {
  private readonly logger = new Logger(TileService.name);
  private readonly lru = new TileLru(LRU_BYTES);
  /** Misses of the same tile at the same moment wait for one query. */
  private readonly rendering = new Map<string, Promise<Buffer>>();
  private redisFailing = false;

  constructor(
    private readonly areas: AreaService,
    private readonly entities: EntityService,
    private readonly observations: ObservationQueryService,
    private readonly feeds: LayerFeeds,
    private readonly cases: CaseService,
    private readonly redis: RedisService,
  ) {}

  async tile(layer: string, z: number, x: number, y: number, principal: Principal, ifNoneMatch?: string): Promise<ServedTile> {
    const { roots: scope, key: scopeKeyPart } = tileScope(principal.scope);
    const source = await this.source(layer);
    const refusal = source.access ? policyRefusal(source.access, principal) : null;
    if (refusal) throw refusal;
    const scopeId = source.sight ? keyPart(source.sight(principal)) : scopeKeyPart;
    if (z < source.minzoom) {
      // Too many features to draw at this zoom: the empty tile, the same for every caller and version.
      return {
        body: ifNoneMatch === '"empty"' ? null : Buffer.alloc(0),
        etag: '"empty"',
        cacheControl: source.cacheControl,
        cache: 'none',
        timing: {},
      };
    }
    let version: string;
    try {
      version = await source.version();
    } catch (error) {
      // Without the version nothing cached can be trusted: make the tile and keep no copy.
      this.noteRedisFailure(error);
      const started = process.hrtime.bigint();
      const body = await source.render(z, x, y, scope, principal);
      return { body, etag: '', cacheControl: 'private, no-store', cache: 'none', timing: { db: since(started) } };
    }
    const key = `${layer}|${version}|${scopeId}|${z}/${x}/${y}`;
    const etag = `"${createHash('sha1').update(key).digest('base64url').slice(0, 27)}"`;
    if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim() === etag)) {
      return { body: null, etag, cacheControl: source.cacheControl, cache: 'memory', timing: {} };
    }
    const held = this.lru.get(key);
    if (held) return { body: held, etag, cacheControl: source.cacheControl, cache: 'memory', timing: {} };
    const redisKey = this.redis.key('tiles', key);
    const lookup = process.hrtime.bigint();
    const shared = await this.fromRedis(redisKey);
    const redis = since(lookup);
    if (shared) {
      this.lru.set(key, shared);
      return { body: shared, etag, cacheControl: source.cacheControl, cache: 'redis', timing: { redis } };
    }
    const started = process.hrtime.bigint();
    let rendering = this.rendering.get(key);
    if (!rendering) {
      rendering = source.render(z, x, y, scope, principal).finally(() => this.rendering.delete(key));
      this.rendering.set(key, rendering);
      void rendering.then(
        (tile) => {
          this.lru.set(key, tile);
          return this.toRedis(redisKey, tile, source.ttlSeconds);
        },
        () => undefined,
      );
    }
    const body = await rendering;
    return { body, etag, cacheControl: source.cacheControl, cache: 'miss', timing: { redis, db: since(started) } };
  }

  private async source(layer: string): Promise<TileSource> {
    const ref = parseLayerKey(layer);
    const unknown = () => new NotFoundError(`Layer ${layer}`);
    if (!ref) throw unknown();
    switch (ref.kind) {
      case 'areas':
        return {
          version: () => this.areas.dataVersion(),
          ttlSeconds: AREA_TTL_SECONDS,
          cacheControl: 'private, max-age=300',
          minzoom: 0,
          render: (z, x, y, scope) => this.areas.tile(z, x, y, scope),
        };
      case 'cases':
        return {
          version: () => this.cases.tileVersion(),
          ttlSeconds: CASE_TTL_SECONDS,
          // Cases move on all day: the browser asks again each time and gets 304 while the version holds.
          cacheControl: 'private, no-cache',
          minzoom: 0,
          access: CASE_WALL_READERS,
          // A scoped caller also sees its department's cases and its own filings (the cases' sight).
          sight: (principal) => {
            let sight = caseSights.get(principal);
            if (sight === undefined) {
              sight = this.cases.sightKey(caseCallerOf(principal));
              caseSights.set(principal, sight);
            }
            return sight;
          },
          render: (z, x, y, _scope, principal) => this.cases.tile(z, x, y, caseCallerOf(principal)),
        };
      case 'area-level':
        return {
          version: () => this.areas.dataVersion(),
          ttlSeconds: AREA_TTL_SECONDS,
          cacheControl: 'private, max-age=300',
          minzoom: ref.minzoom,
          render: (z, x, y, scope) => this.areas.levelTile(ref.level, z, x, y, scope),
        };
      case 'entities': {
        const feed = await this.feeds.find(ref.feedKey);
        if (feed?.kind !== 'entity') throw unknown();
        return {
          version: () => this.entities.dataVersion(feed.key),
          ttlSeconds: ENTITY_TTL_SECONDS,
          // Entities move: the browser asks again each time and gets 304 while the version holds.
          cacheControl: 'private, no-cache',
          minzoom: ENTITY_MINZOOM,
          render: (z, x, y, scope) => this.entities.tile(feed.key, z, x, y, scope),
        };
      }
      case 'heat': {
        const feed = await this.feeds.find(ref.feedKey);
        if (!feed || feed.kind === 'entity' || !feed.metrics.some((m) => m.key === ref.metric)) throw unknown();
        const bucket = Math.floor(Date.now() / (HEAT_BUCKET_SECONDS * 1000));
        const to = new Date((bucket + 1) * HEAT_BUCKET_SECONDS * 1000);
        const from = new Date(to.getTime() - HEAT_WINDOW_MINUTES * 60_000);
        const left = Math.max(1, Math.ceil((to.getTime() - Date.now()) / 1000));
        return {
          // The window moves with the bucket: a tile is good until its minute ends.
          version: () => Promise.resolve(`b${bucket}`),
          ttlSeconds: HEAT_BUCKET_SECONDS * 2,
          cacheControl: `private, max-age=${left}`,
          minzoom: HEAT_MINZOOM,
          render: (z, x, y, scope) => this.observations.heatTile(feed.key, ref.metric, { from, to }, { z, x, y }, scope),
        };
      }
    }
  }

  private async fromRedis(key: string): Promise<Buffer | null> {
    try {
      const tile = await this.redis.client.getBuffer(key);
      this.redisFailing = false;
      return tile;
    } catch (error) {
      this.noteRedisFailure(error);
      return null;
    }
  }

  private async toRedis(key: string, tile: Buffer, ttlSeconds: number): Promise<void> {
    try {
      await this.redis.client.set(key, tile, 'EX', ttlSeconds);
    } catch (error) {
      this.noteRedisFailure(error);
    }
  }

  /** Redis away: tiles are made from PostGIS meanwhile; said once per outage, not per tile. */
  private noteRedisFailure(error: unknown): void {
    if (this.redisFailing) return;
    this.redisFailing = true;
    this.logger.warn({ err: error }, 'tile cache unavailable: serving tiles from PostGIS');
  }
}
