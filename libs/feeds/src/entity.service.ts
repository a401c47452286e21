import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { entityRecordSchema, type FeedEntityRecord, type IngestResult } from '@cityops/contracts';
import { APP_CONFIG, type AppConfig, issuesText } from '@cityops/core';
import { assertMayPushToFeed, type Principal } from '@cityops/identity';
import { FeedStatsRepository } from './feed-stats.repository';
import { BadBodyError, FeedNotFoundError } from './feed.exception';
import { FeedRepository, type RejectedRow } from './feed.repository';
import { insideBounds } from './record-validator';

interface EntityRow {
  index: number;
  raw: unknown;
  id: string;
  ts: string;
  geometry: unknown;
  props: Record<string, unknown>;
}

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

/**
 * Latest-state objects (cameras, teams, shelters): each PUT upserts the current state when it is
 * newer than what we hold, and every state, old or new, lands once in the entity's history.
 */
@Injectable()
export class EntityService {
  constructor(
    private readonly feeds: FeedRepository,
    private readonly db: DataSource,
    private readonly stats: FeedStatsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async upsert(feedKey: string, principal: Principal, doc: unknown): Promise<IngestResult> {
    const feed = await this.feeds.find(feedKey);
    if (!feed) throw new FeedNotFoundError(feedKey);
    assertMayPushToFeed(principal, feed.key);
    const items = entityItems(doc);
    if (items.length === 0) throw new BadBodyError('The request holds no entities.');
    const rejected: RejectedRow[] = [];
    const rows: EntityRow[] = [];
    items.forEach((raw, index) => {
      const parsed = entityRecordSchema.safeParse(raw);
      if (!parsed.success) {
        rejected.push({ index, raw, reason: issuesText(parsed.error.issues, 'entity') });
        return;
      }
      const e = parsed.data;
      const geometry = e.geometry ?? (e.location ? { type: 'Point', coordinates: e.location } : null);
      if (e.location && !insideBounds(e.location, this.config.cityBounds)) {
        rejected.push({ index, raw, reason: `location: [${e.location.join(', ')}] is outside the city bounds` });
        return;
      }
      rows.push({ index, raw, id: e.id, ts: e.ts, geometry, props: e.props ?? {} });
    });

    // PostGIS judges every geometry in one statement: invalid ones and those outside the city go back.
    const [w, s, e, n] = this.config.cityBounds;
    const verdicts: { problem: string | null }[] = rows.length
      ? await this.db
          .query<{ problem: string | null }[]>(
            `SELECT CASE WHEN g IS NULL THEN NULL
                       WHEN NOT ST_IsValid(g) THEN 'geometry: ' || ST_IsValidReason(g)
                       WHEN NOT ST_Within(g, ST_MakeEnvelope($2, $3, $4, $5, 4326)) THEN 'geometry: outside the city bounds'
                  END AS problem
             FROM (SELECT CASE WHEN value = 'null'::jsonb THEN NULL ELSE ST_SetSRID(ST_GeomFromGeoJSON(value::text), 4326) END AS g, ord
                     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(value, ord)) q
            ORDER BY ord`,
            [JSON.stringify(rows.map((r) => r.geometry)), w, s, e, n],
          )
          .catch(() => rows.map(() => ({ problem: 'geometry: not a valid GeoJSON geometry' })))
      : [];
    const good = rows.filter((r, i) => {
      const problem = verdicts[i]?.problem;
      if (problem) rejected.push({ index: r.index, raw: r.raw, reason: problem });
      return !problem;
    });
    rejected.sort((a, b) => a.index - b.index);

    const { accepted, duplicates } = await this.feeds.transaction(async (m) => {
      const written = good.length ? await this.feeds.upsertEntities(m, feed.key, good) : { accepted: 0, duplicates: 0 };
      await this.feeds.insertRejected(m, feed.key, 'http', randomUUID(), rejected);
      return written;
    });
    await this.stats.record(feed.key, accepted, rejected.length, accepted ? Date.now() : null);
    return {
      accepted,
      duplicates,
      rejected: rejected.length,
      errors: rejected.slice(0, 1000).map((r) => ({ index: r.index, reason: r.reason })),
    };
  }

  list(feedKey: string, limit: number): Promise<FeedEntityRecord[]> {
    return this.feeds.listEntities(feedKey, limit);
  }
}
