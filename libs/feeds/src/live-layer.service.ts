import { Injectable, Logger } from '@nestjs/common';
import {
  ENTITY_SERIES_MAX_PROPS,
  LIVE_LAYER_MAX_ENTITIES,
  liveLayerChannel,
  liveLayerWindowSeconds,
  ServerEvents,
  type EntitySeriesQuery,
  type FeedDefinition,
  type LiveFeature,
  type LiveFeatureCollection,
  type LiveLayerChange,
  type LiveLayerDelta,
} from '@cityops/contracts';
import { LivePublisher, NotFoundError, type LiveDeparture, type LivePlace } from '@cityops/core';
import { AreaDirectory, type ScopeRoots } from '@cityops/geo';
import { EntityRepository, type ReplacedEntity } from './entity.repository';
import { FeedNotFoundError } from './feed.exception';
import { FeedRepository } from './feed.repository';
import { entityFeature, newestReadings, readingFeatures, type LiveReading } from './live-layer-features';
import { LiveLayerPlaceRepository } from './live-layer-place.repository';
import type { ObservationRow } from './observation-row';
import { ObservationRepository, type EntityBucketRow } from './observation.repository';

/** An entity's bucketed readings and (of an entity feed's entity) numeric props, with the feed they belong to. */
export interface EntitySeriesRows {
  feed: FeedDefinition;
  from: Date;
  to: Date;
  bucketSeconds: number;
  rows: EntityBucketRow[];
  /** Per numeric prop (its key as `metric`), at most ENTITY_SERIES_MAX_PROPS of them, declared metrics first; none for a reading feed. */
  propRows: EntityBucketRow[];
}

/** A series' bucket: `points` of them over the window, whole minutes, at least one. */
export function entitySeriesBucketSeconds({ hours, points }: EntitySeriesQuery): number {
  return Math.max(60, Math.ceil((hours * 3600) / points / 60) * 60);
}

const placeOf = (areaId: number | null): LivePlace => ({ areaIds: areaId === null ? [] : [areaId] });

/**
 * An entity that was in an area and is now in another or in none: who saw it there and cannot
 * see it now hears its removal (a removal sent to anyone else would tell of an entity it never saw).
 */
export function departure(id: string, previousAreaId: number | null, areaId: number | null): LiveDeparture | null {
  if (previousAreaId === null || previousAreaId === areaId) return null;
  const removal: LiveLayerChange = { op: 'remove', id };
  return { from: placeOf(previousAreaId), item: removal };
}

/**
 * The small live layers: a feed's few located entities (those of an entity feed, or the sensors
 * of a reading feed with their newest readings) read whole, and every change ingest stores
 * published as a delta on the feed's channel, from whichever process stored it (through Redis).
 * Deltas are scoped like the other live events: each listener hears the entities of its areas.
 */
@Injectable()
export class LiveLayerService {
  private readonly logger = new Logger(LiveLayerService.name);

  constructor(
    private readonly feeds: FeedRepository,
    private readonly entities: EntityRepository,
    private readonly observations: ObservationRepository,
    private readonly areas: AreaDirectory,
    private readonly live: LivePublisher,
    private readonly places: LiveLayerPlaceRepository,
  ) {}

  /** How many located entities each feed holds now, counted up to one past LIVE_LAYER_MAX_ENTITIES. */
  async sizes(feeds: readonly FeedDefinition[]): Promise<Map<string, number>> {
    const cap = LIVE_LAYER_MAX_ENTITIES + 1;
    const now = Date.now();
    const [entityCounts, readingCounts] = await Promise.all([
      this.entities.locatedCounts(
        feeds.filter((f) => f.kind === 'entity').map((f) => f.key),
        cap,
      ),
      this.observations.locatedEntityCounts(
        feeds
          .filter((f) => f.kind !== 'entity' && f.metrics.length > 0)
          .map((f) => ({ key: f.key, metrics: f.metrics.map((m) => m.key), since: this.since(f, now) })),
        cap,
      ),
    ]);
    return new Map([...entityCounts, ...readingCounts]);
  }

  /** The feed's live layer whole, in the scope. */
  async snapshot(feedKey: string, scope: ScopeRoots = null): Promise<LiveFeatureCollection> {
    const feed = await this.feed(feedKey);
    const at = new Date().toISOString();
    return { type: 'FeatureCollection', feed: feed.key, features: await this.features(feed, scope), at };
  }

  /**
   * An entity's readings of the last `hours`, bucketed, and an entity feed's entity's numeric props
   * over its states of that window; 404 when the feed holds no such entity in the scope.
   */
  async series(feedKey: string, entityId: string, query: EntitySeriesQuery, scope: ScopeRoots = null): Promise<EntitySeriesRows> {
    const feed = await this.feed(feedKey);
    const to = new Date();
    const from = new Date(to.getTime() - query.hours * 3600_000);
    const bucketSeconds = entitySeriesBucketSeconds(query);
    const window = { from, to, bucketSeconds };
    const [rows, propRows] = await Promise.all([
      this.observations.entitySeries(feed.key, entityId, window, scope),
      feed.kind === 'entity'
        ? this.entities.propSeries(
            feed.key,
            entityId,
            window,
            { maxProps: ENTITY_SERIES_MAX_PROPS, metrics: feed.metrics.map((m) => m.key) },
            scope,
          )
        : [],
    ]);
    const known =
      rows.length > 0 || propRows.length > 0 || (feed.kind === 'entity' && (await this.entities.exists(feed.key, entityId, scope)));
    if (!known) throw new NotFoundError(`Entity ${entityId} of feed ${feed.key} (with readings in the last ${query.hours} h)`);
    return { feed, from, to, bucketSeconds, rows, propRows };
  }

  /** Publishes the newest of a stored batch's located readings per entity (best effort: never fails the ingest). */
  async readingsStored(feed: FeedDefinition, rows: readonly ObservationRow[]): Promise<void> {
    try {
      const readings: LiveReading[] = [];
      for (const r of rows) {
        if (r.entity === null || r.lon === null || r.lat === null) continue;
        const name = typeof r.props?.name === 'string' ? r.props.name : null;
        readings.push({ entity: r.entity, metric: r.metric, value: r.value, ts: r.ts, lon: r.lon, lat: r.lat, areaId: r.areaId, name });
      }
      const newest = newestReadings(readings);
      if (newest.length === 0 || new Set(newest.map((r) => r.entity)).size > LIVE_LAYER_MAX_ENTITIES) return;
      const codes = await this.areaCodes(newest.map((r) => r.areaId));
      const features = readingFeatures(newest, codes);
      // A feature lies where its newest reading was; so does its place in the scope.
      const newestOf = new Map<string, LiveReading>();
      for (const r of newest) {
        const held = newestOf.get(r.entity);
        if (!held || Date.parse(r.ts) > Date.parse(held.ts)) newestOf.set(r.entity, r);
      }
      const areaOf = (id: string) => newestOf.get(id)?.areaId ?? null;
      // Where each sensor was last published: listeners of an area it left hear it go, and a
      // sensor whose readings aged out of the window leaves too (at the feed's next delta).
      const windowMs = liveLayerWindowSeconds(feed.expectedIntervalSeconds) * 1000;
      const { previous, aged } = await this.places.swap(
        feed.key,
        features.map((f) => ({ entity: f.id, ts: Date.parse(String(f.properties.ts)), areaId: areaOf(f.id) })),
        Date.now() - windowMs,
        windowMs,
      );
      const changes: LiveLayerChange[] = features.map((feature) => ({ op: 'merge', feature }));
      const places = features.map((f) => placeOf(areaOf(f.id)));
      const departures = features.map((f, i) => departure(f.id, previous[i] ?? null, areaOf(f.id)));
      for (const gone of aged) {
        changes.push({ op: 'remove', id: gone.entity });
        places.push(placeOf(gone.areaId));
        departures.push(null);
      }
      this.publish(feed.key, changes, places, departures);
    } catch (err) {
      this.logger.warn({ err, feed: feed.key }, 'live layer delta not published');
    }
  }

  /**
   * Publishes the new states of an entity feed's entities (best effort: never fails the write);
   * the listeners of the area an entity left (`previousAreaId`, read by the write) hear it go.
   */
  async entitiesStored(feedKey: string, replaced: readonly ReplacedEntity[]): Promise<void> {
    if (replaced.length === 0 || replaced.length > LIVE_LAYER_MAX_ENTITIES) return;
    try {
      // A feed too big to be a live layer (the city's cameras) is vector tiles: nobody listens for its deltas.
      const located = (await this.entities.locatedCounts([feedKey], LIVE_LAYER_MAX_ENTITIES + 1)).get(feedKey) ?? 0;
      if (located > LIVE_LAYER_MAX_ENTITIES) return;
      const previousArea = new Map(replaced.map((r) => [r.id, r.previousAreaId]));
      const states = await this.entities.states(
        feedKey,
        replaced.map((r) => r.id),
      );
      const codes = await this.areaCodes(states.map((s) => s.areaId));
      const changes: LiveLayerChange[] = [];
      const places: LivePlace[] = [];
      const departures: (LiveDeparture | null)[] = [];
      for (const state of states) {
        const feature = entityFeature(state, codes);
        changes.push(feature ? { op: 'replace', feature } : { op: 'remove', id: state.id });
        places.push(placeOf(state.areaId));
        departures.push(departure(state.id, previousArea.get(state.id) ?? null, state.areaId));
      }
      this.publish(feedKey, changes, places, departures);
    } catch (err) {
      this.logger.warn({ err, feed: feedKey }, 'live layer delta not published');
    }
  }

  private publish(feedKey: string, changes: LiveLayerChange[], places: LivePlace[], departures: (LiveDeparture | null)[]): void {
    const payload: LiveLayerDelta = { feed: feedKey, changes };
    this.live.publishScoped({
      channel: liveLayerChannel(feedKey),
      event: ServerEvents.layerDelta,
      payload,
      list: { key: 'changes', places, departures },
    });
  }

  private async features(feed: FeedDefinition, scope: ScopeRoots): Promise<LiveFeature[]> {
    if (feed.kind === 'entity') {
      const { rows } = await this.entities.featurePage(feed.key, {}, LIVE_LAYER_MAX_ENTITIES, 0, scope);
      const codes = await this.areaCodes(rows.map((r) => r.areaId));
      return rows.flatMap((r) => entityFeature(r, codes) ?? []);
    }
    const readings = await this.observations.latestPerEntity(
      feed.key,
      feed.metrics.map((m) => m.key),
      this.since(feed, Date.now()),
      LIVE_LAYER_MAX_ENTITIES,
      scope,
    );
    return readingFeatures(readings, await this.areaCodes(readings.map((r) => r.areaId)));
  }

  private since(feed: FeedDefinition, now: number): Date {
    return new Date(now - liveLayerWindowSeconds(feed.expectedIntervalSeconds) * 1000);
  }

  private async areaCodes(ids: readonly (number | null)[]): Promise<Map<number, string>> {
    const refs = await this.areas.byIds(new Set(ids.filter((id): id is number => id !== null)));
    return new Map([...refs.entries()].map(([id, ref]) => [id, ref.code]));
  }

  private async feed(feedKey: string): Promise<FeedDefinition> {
    const feed = await this.feeds.find(feedKey);
    if (!feed) throw new FeedNotFoundError(feedKey);
    return feed;
  }
}
