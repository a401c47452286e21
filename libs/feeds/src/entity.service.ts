import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  MAX_REJECTED_KEPT_PER_REQUEST,
  type FeedDefinition,
  type FeedEntityRecord,
  type IngestResult,
  type SearchHit,
} from '@cityops/contracts';
import { APP_CONFIG, type AppConfig } from '@cityops/core';
import { AreaDirectory, AreaLocator, type ScopeRoots } from '@cityops/geo';
import { assertMayPushToFeed, type Principal } from '@cityops/identity';
import { checkProfile, validateEntity, type CheckedEntity } from './entity-validator';
import { EntityVersionRepository } from './entity-version.repository';
import { type EntityFeatureFilter, EntityRepository, type EntityFeatureRow, type EntityState } from './entity.repository';
import { FeedStatsRepository } from './feed-stats.repository';
import { BadBodyError, FeedNotFoundError } from './feed.exception';
import { FeedRepository } from './feed.repository';
import { LiveLayerService } from './live-layer.service';
import { assertDocumentSize } from './parsing/record-parsers';
import { RejectedRecordRepository, type RejectedRow } from './rejected-record.repository';

/** Turns `{entities:[…]}`, an array, or a FeatureCollection (feature id or properties.id) into items. */
function entityItems(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (typeof doc === 'object' && doc !== null) {
    const d = doc as { type?: unknown; features?: unknown; entities?: unknown };
    if (Array.isArray(d.entities)) return d.entities as unknown[];
    if (d.type === 'FeatureCollection' && Array.isArray(d.features)) {
      return d.features.map((f: unknown) => {
        if (typeof f !== 'object' || f === null) return f;
        const { id, geometry, properties } = f as { id?: unknown; geometry?: unknown; properties?: Record<string, unknown> | null };
        const { id: pid, ts, ...props } = properties ?? {};
        return { id: id ?? pid, ts, geometry: geometry ?? undefined, props };
      });
    }
  }
  throw new BadBodyError('Send a JSON array of entities, {"entities": [...]}, or a GeoJSON FeatureCollection.');
}

/** A located entity as a GeoJSON feature: its props as properties, then its time and area. */
export interface EntityFeature {
  type: 'Feature';
  id: string;
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}

export type { EntityFeatureFilter } from './entity.repository';

/**
 * Latest-state objects (cameras, teams, shelters): each PUT upserts the current state when it is
 * newer than what we hold, and every state, old or new, lands once in the entity's history.
 * Every entity is judged on its own: a bad one is reported with its reason, the others are stored.
 */
@Injectable()
export class EntityService {
  constructor(
    private readonly feeds: FeedRepository,
    private readonly entities: EntityRepository,
    private readonly rejections: RejectedRecordRepository,
    private readonly stats: FeedStatsRepository,
    private readonly locator: AreaLocator,
    private readonly areas: AreaDirectory,
    private readonly versions: EntityVersionRepository,
    private readonly liveLayers: LiveLayerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async upsert(feedKey: string, principal: Principal, doc: unknown): Promise<IngestResult> {
    const feed = await this.feeds.find(feedKey);
    if (!feed) throw new FeedNotFoundError(feedKey);
    assertMayPushToFeed(principal, feed.key);
    const items = entityItems(doc);
    if (items.length === 0) throw new BadBodyError('The request holds no entities.');
    assertDocumentSize(items.length, 'entities');
    return this.store(feed, items);
  }

  /**
   * For start-up seeding: the installation's own states, through the same checks and writes as a
   * push, in one batch (no request, so no caller to authorise).
   */
  async seed(feedKey: string, items: unknown[]): Promise<IngestResult> {
    const feed = await this.feeds.find(feedKey);
    if (!feed) throw new FeedNotFoundError(feedKey);
    return this.store(feed, items);
  }

  /** How many entities the feed holds now. */
  count(feedKey: string): Promise<number> {
    return this.entities.count(feedKey);
  }

  private async store(feed: FeedDefinition, items: unknown[]): Promise<IngestResult> {
    const rejected: RejectedRow[] = [];
    const checked: { index: number; raw: unknown; entity: CheckedEntity }[] = [];
    items.forEach((raw, index) => {
      const verdict = checkProfile(validateEntity(raw, this.config.cityBounds), feed.entityProfile ?? null);
      if (verdict.ok) checked.push({ index, raw, entity: verdict.entity });
      else rejected.push({ index, raw, reason: verdict.reason });
    });

    // Lines and polygons: PostGIS judges each one apart and gives a point on it to tag it by.
    const shapes = checked.filter((c) => c.entity.geometry && !c.entity.point);
    const verdicts = await this.entities.geometryVerdicts(
      shapes.map((c) => c.entity.geometry),
      this.config.cityBounds,
    );
    const refused = new Set<number>();
    shapes.forEach((c, i) => {
      const { problem, point } = verdicts[i];
      if (problem) {
        rejected.push({ index: c.index, raw: c.raw, reason: `geometry: ${problem}` });
        refused.add(c.index);
      } else c.entity.point = point;
    });
    const good = checked.filter((c) => !refused.has(c.index));
    rejected.sort((a, b) => a.index - b.index);

    const placed = good.filter((c) => c.entity.point);
    const grids = await this.locator.locateMany(placed.map((c) => c.entity.point!));
    const grid = new Map(placed.map((c, i) => [c.index, grids[i]]));
    const states: EntityState[] = good.map(({ index, entity }) => ({
      id: entity.id,
      ts: entity.ts,
      geometry: entity.geometry,
      props: entity.props,
      areaId: grid.get(index)?.areaId ?? null,
      areaPath: grid.get(index)?.path ?? [],
    }));

    // As for records: the first MAX_REJECTED_KEPT_PER_REQUEST rejected entities are kept and listed, the rest counted.
    const kept = rejected.slice(0, MAX_REJECTED_KEPT_PER_REQUEST);
    const { accepted, duplicates, replaced } = await this.entities.transaction(async (m) => {
      const written = states.length ? await this.entities.upsert(m, feed.key, states) : { accepted: 0, duplicates: 0, replaced: [] };
      await this.rejections.insert(m, feed.key, 'http', randomUUID(), kept);
      return written;
    });
    await this.stats.record(feed.key, accepted, rejected.length, accepted ? Date.now() : null);
    if (accepted) await this.versions.bump(feed.key);
    await this.liveLayers.entitiesStored(feed.key, replaced);
    const notKept = rejected.length - kept.length;
    return {
      accepted,
      duplicates,
      rejected: rejected.length,
      errors: kept.map((r) => ({ index: r.index, reason: r.reason })),
      ...(notKept > 0 ? { errorsTruncated: true as const, rejectedNotKept: notKept } : {}),
    };
  }

  /** The feed's located entities in a vector tile, of the scope only. */
  tile(feedKey: string, z: number, x: number, y: number, scope: ScopeRoots = null): Promise<Buffer> {
    return this.entities.tile(feedKey, z, x, y, scope);
  }

  /** Changes whenever the feed's entities are written, in every process alike. */
  dataVersion(feedKey: string): Promise<string> {
    return this.versions.get(feedKey);
  }

  /** Located entities whose name or id holds `text`, in the scope, as search hits. */
  async search(text: string, limit: number, scope: ScopeRoots = null): Promise<Extract<SearchHit, { kind: 'entity' }>[]> {
    const rows = await this.entities.search(text, limit, scope);
    return rows.map((r) => ({ kind: 'entity', feed: r.feed, id: r.id, name: r.name, center: [r.lon, r.lat] }));
  }

  /** The feeds among `feedKeys` that hold an entity with a place. */
  locatedFeeds(feedKeys: readonly string[]): Promise<string[]> {
    return this.entities.locatedFeeds(feedKeys);
  }

  /** The feed's entities in the scope (an entity without an area only for city-wide callers). */
  async list(feedKey: string, limit: number, scope: ScopeRoots = null): Promise<FeedEntityRecord[]> {
    const stored = await this.entities.list(feedKey, limit, scope);
    const areas = await this.areas.byIds(stored.flatMap((e) => (e.areaId === null ? [] : [e.areaId])));
    return stored.map((e) => ({
      id: e.id,
      ts: e.ts.toISOString(),
      geometry: e.geometry,
      props: e.props,
      area: e.areaId === null ? null : (areas.get(e.areaId)?.code ?? null),
      historyLength: e.historyLength,
    }));
  }

  /** A page of the feed's located entities in the scope as GeoJSON features (OGC API – Features). */
  async featurePage(
    feedKey: string,
    filter: EntityFeatureFilter,
    limit: number,
    offset: number,
    scope: ScopeRoots = null,
  ): Promise<{ matched: number; features: EntityFeature[] }> {
    const { matched, rows } = await this.entities.featurePage(feedKey, filter, limit, offset, scope);
    return { matched, features: await this.asFeatures(rows) };
  }

  /** One located entity of the feed as a feature; null when there is none in the scope. */
  async feature(feedKey: string, entityId: string, scope: ScopeRoots = null): Promise<EntityFeature | null> {
    const row = await this.entities.feature(feedKey, entityId, scope);
    return row ? ((await this.asFeatures([row]))[0] ?? null) : null;
  }

  private async asFeatures(rows: EntityFeatureRow[]): Promise<EntityFeature[]> {
    const areas = await this.areas.byIds(rows.flatMap((e) => (e.areaId === null ? [] : [e.areaId])));
    // Our own fields last: a prop of the same name must not pass for the entity's time or area.
    return rows.map((e) => ({
      type: 'Feature' as const,
      id: e.id,
      geometry: e.geometry,
      properties: { ...e.props, id: e.id, ts: e.ts.toISOString(), area: e.areaId === null ? null : (areas.get(e.areaId)?.code ?? null) },
    }));
  }
}
