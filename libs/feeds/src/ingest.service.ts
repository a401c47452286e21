import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  MAX_RECORDS_PER_REQUEST,
  MAX_REJECTED_KEPT_PER_REQUEST,
  type FeedDefinition,
  type IngestError,
  type IngestResult,
  type IngestSource,
  type RejectedRecord,
  type ReplayResult,
} from '@cityops/contracts';
import { APP_CONFIG, type AppConfig, DomainException, MetricsService } from '@cityops/core';
import { AreaDirectory, AreaLocator, type ScopeRoots } from '@cityops/geo';
import { assertMayPushToFeed, type Principal } from '@cityops/identity';
import { FeedStatsRepository } from './feed-stats.repository';
import { FeedUpdates } from './feed-updates.service';
import { BadBodyError, FeedNotFoundError, IngestStoppedError, TooManyRecordsError } from './feed.exception';
import { FeedRepository } from './feed.repository';
import { LiveLayerService } from './live-layer.service';
import type { ObservationRow } from './observation-row';
import { ObservationRepository } from './observation.repository';
import { assertDocumentSize, documentItems, formatOf, recordItems, type RawItem } from './parsing/record-parsers';
import { decodedBody } from './parsing/request-body';
import { recordKey } from './record-key';
import { alteredRawReason, positionOf, validateRecord } from './record-validator';
import { RejectedRecordRepository, type RejectedRow } from './rejected-record.repository';

/** Records per transaction: a long stream is committed as it goes, so memory stays flat. */
export const INGEST_CHUNK_RECORDS = 5000;

function newestTs(rows: ObservationRow[]): number | null {
  let newest: number | null = null;
  for (const r of rows) {
    const t = Date.parse(r.ts);
    if (newest === null || t > newest) newest = t;
  }
  return newest;
}

interface PreparedChunk {
  rows: ObservationRow[];
  rejected: RejectedRow[];
}

/**
 * The way in for every department's data: validate each record, keep the bad ones with their
 * reason, write the good ones in batches (committed before we answer), then tell FeedUpdates'
 * listeners (the indicators that depend on the feed) that it got data.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    private readonly feeds: FeedRepository,
    private readonly observations: ObservationRepository,
    private readonly rejections: RejectedRecordRepository,
    private readonly metrics: MetricsService,
    private readonly updates: FeedUpdates,
    private readonly areas: AreaDirectory,
    private readonly locator: AreaLocator,
    private readonly stats: FeedStatsRepository,
    private readonly liveLayers: LiveLayerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** An HTTP push: JSON, GeoJSON, NDJSON or CSV, optionally gzip-compressed, streamed. */
  async ingestRequest(
    feedKey: string,
    principal: Principal,
    body: Readable,
    headers: { contentType?: string; contentEncoding?: string; contentLength?: string },
  ): Promise<IngestResult> {
    const feed = await this.feedOrThrow(feedKey);
    assertMayPushToFeed(principal, feed.key);
    const format = formatOf(headers.contentType);
    const whole = format === 'json' || format === 'geojson';
    const limit = whole ? this.config.ingestMaxBodyBytes : this.config.ingestMaxStreamBytes;
    const stream = decodedBody(body, headers.contentEncoding, limit, headers.contentLength);
    // A document's size was checked whole when it was parsed (MAX_RECORDS_PER_REQUEST); a stream is cut at its own cap.
    return this.ingestItems(
      feed,
      recordItems(stream, format),
      'http',
      whole ? MAX_RECORDS_PER_REQUEST : this.config.ingestMaxStreamRecords,
    );
  }

  /** Records from a trusted internal source (MQTT subscriber, pull connector): a document as parsed JSON. */
  async ingestDocument(feedKey: string, document: unknown, source: IngestSource): Promise<IngestResult> {
    const feed = await this.feedOrThrow(feedKey);
    return this.ingestItems(feed, [documentItems(document)], source);
  }

  /** Already-shaped records from a trusted internal source. */
  async ingestRecords(feedKey: string, records: unknown[], source: IngestSource): Promise<IngestResult> {
    const feed = await this.feedOrThrow(feedKey);
    assertDocumentSize(records.length);
    return this.ingestItems(feed, [records.map((raw) => ({ raw }))], source);
  }

  /** Items that may carry their own reading error (an unreadable line), from a trusted internal source. */
  async ingestRawItems(feedKey: string, items: RawItem[], source: IngestSource): Promise<IngestResult> {
    const feed = await this.feedOrThrow(feedKey);
    assertDocumentSize(items.length);
    return this.ingestItems(feed, [items], source);
  }

  /**
   * Validates and writes the items in chunks of INGEST_CHUNK_RECORDS, each chunk one transaction.
   * A stream that stops partway (past `maxRecords`, past its byte cap, a broken body) after some
   * chunks were committed still commits the records read before the stop, then answers the stop's
   * problem with what was stored: an answer never claims fewer stored records than there are.
   */
  private async ingestItems(
    feed: FeedDefinition,
    batches: AsyncIterable<RawItem[]> | Iterable<RawItem[]>,
    source: IngestSource,
    maxRecords = MAX_RECORDS_PER_REQUEST,
  ): Promise<IngestResult> {
    const result: IngestResult = { accepted: 0, duplicates: 0, rejected: 0, errors: [] };
    const batchId = randomUUID();
    let chunk: RawItem[] = [];
    let seen = 0;
    const flush = async () => {
      const base = seen - chunk.length;
      const prepared = await this.prepare(feed, chunk, base);
      chunk = [];
      // Only the first MAX_REJECTED_KEPT_PER_REQUEST rejected records of a request are kept; the rest are counted.
      const kept = prepared.rejected.slice(0, Math.max(0, MAX_REJECTED_KEPT_PER_REQUEST - result.errors.length));
      const accepted = await this.observations.transaction(async (m) => {
        const n = await this.observations.insert(m, feed.key, prepared.rows, { expectDuplicates: source === 'pull' });
        await this.rejections.insert(m, feed.key, source, batchId, kept);
        return n;
      });
      this.count(feed.key, result, accepted, prepared.rows.length - accepted, prepared.rejected, kept.length);
      await this.stats.record(feed.key, accepted, prepared.rejected.length, newestTs(prepared.rows));
      // Resent records count too: a sender that resends because the answer to a committed batch
      // was lost (e.g. a 503 when Redis dropped right after the commit) also brings back the
      // recomputation that answer did not schedule. It is deduplicated per window anyway.
      if (prepared.rows.length > 0) await this.updates.feedUpdated(feed.key);
      // The live layer's listeners see the new readings of its sensors without a refetch.
      if (accepted > 0) await this.liveLayers.readingsStored(feed, prepared.rows);
    };
    let stop: DomainException | null = null;
    let reading = true; // errors while writing are not the body's, and are never turned into a stop
    try {
      read: for await (const batch of batches) {
        for (const item of batch) {
          if (seen >= maxRecords) {
            // Leaving the loop stops reading the body; what is left of the upload is drained.
            stop = new TooManyRecordsError(
              `The stream carried more than ${maxRecords.toLocaleString('en')} records, the most one request may carry; it was read no further.`,
            );
            break read;
          }
          chunk.push(item);
          seen++;
          if (chunk.length >= INGEST_CHUNK_RECORDS) {
            reading = false;
            await flush();
            reading = true;
          }
        }
      }
    } catch (error) {
      if (!reading || !(error instanceof DomainException) || seen === 0) throw error;
      stop = error;
    }
    if (seen === 0) throw stop ?? new BadBodyError('The request holds no records.');
    if (chunk.length) await flush();
    if (result.rejected) this.logger.warn({ feed: feed.key, batchId, source, rejected: result.rejected }, 'records rejected');
    if (stop) {
      this.logger.warn({ feed: feed.key, batchId, source, processed: seen, problem: stop.code }, 'ingest stream stopped partway');
      throw new IngestStoppedError(stop, seen, result);
    }
    return result;
  }

  /** Validates a chunk; `base` is the index of its first item in the whole request. */
  private async prepare(feed: FeedDefinition, items: RawItem[], base: number): Promise<PreparedChunk> {
    const ctx = { feed, now: Date.now(), bounds: this.config.cityBounds };
    const candidates: { index: number; raw: unknown; row: ObservationRow }[] = [];
    const rejected: RejectedRow[] = [];
    items.forEach((item, i) => {
      const index = base + i;
      if (item.error !== undefined) {
        rejected.push({ index, raw: item.raw, reason: item.error });
        return;
      }
      const verdict = validateRecord(item.raw, ctx);
      if (!verdict.ok) {
        rejected.push({ index, raw: item.raw, reason: verdict.reason });
        return;
      }
      const r = verdict.record;
      const position = positionOf(r);
      candidates.push({
        index,
        raw: item.raw,
        row: {
          recordKey: recordKey(r),
          ts: r.ts,
          metric: r.metric,
          value: r.value,
          entity: r.entity ?? null,
          areaCode: r.area ?? null,
          areaId: null,
          areaPath: [],
          lon: position?.[0] ?? null,
          lat: position?.[1] ?? null,
          props: r.props ?? null,
        },
      });
    });
    // A named area wins; else the grid under the location. Unknown codes are the sender's mistake.
    const known = await this.areas.byCodes(candidates.flatMap((c) => (c.row.areaCode === null ? [] : [c.row.areaCode])));
    const located = candidates.filter((c) => c.row.areaCode === null && c.row.lon !== null);
    const grids = await this.locator.locateMany(located.map((c) => [c.row.lon!, c.row.lat!]));
    located.forEach((c, i) => {
      c.row.areaId = grids[i]?.areaId ?? null;
      c.row.areaPath = grids[i]?.path ?? [];
    });
    const rows: ObservationRow[] = [];
    for (const c of candidates) {
      if (c.row.areaCode !== null) {
        const area = known.get(c.row.areaCode);
        if (!area) {
          rejected.push({ index: c.index, raw: c.raw, reason: `area: unknown area code "${c.row.areaCode}"` });
          continue;
        }
        c.row.areaId = area.id;
        c.row.areaPath = area.path;
      }
      rows.push(c.row);
    }
    rejected.sort((a, b) => a.index - b.index);
    return { rows, rejected };
  }

  /**
   * Runs kept rejected records through validation again (after the feed's definition was fixed).
   * Those that pass are written and marked replayed; the others keep their row with today's reason.
   */
  async replayRejected(feedKey: string, limit: number): Promise<ReplayResult> {
    const feed = await this.feedOrThrow(feedKey);
    const kept = await this.rejections.pending(feed.key, limit);
    if (kept.length === 0) return { replayed: 0, accepted: 0, duplicates: 0, stillRejected: 0 };
    // A record that had to be altered to be kept is not what was sent: it stays rejected, with why.
    const items = kept.map((k): RawItem => {
      const altered = alteredRawReason(k.raw);
      return altered === null ? { raw: k.raw } : { raw: k.raw, error: `${altered} (kept altered, so not replayed)` };
    });
    const prepared = await this.prepare(feed, items, 0);
    const still = new Map(prepared.rejected.map((r) => [r.index, r.reason]));
    const accepted = await this.observations.transaction(async (m) => {
      const n = await this.observations.insert(m, feed.key, prepared.rows);
      await this.rejections.markReplayed(
        m,
        kept.filter((_, i) => !still.has(i)).map((k) => k.id),
      );
      await this.rejections.updateReasons(
        m,
        kept.flatMap((k, i) => (still.has(i) ? [{ id: k.id, reason: still.get(i)! }] : [])),
      );
      return n;
    });
    this.metrics.ingestRecords.inc({ feed: feed.key, outcome: 'accepted' }, accepted);
    await this.stats.record(feed.key, accepted, 0, newestTs(prepared.rows));
    if (prepared.rows.length > 0) await this.updates.feedUpdated(feed.key);
    if (accepted > 0) await this.liveLayers.readingsStored(feed, prepared.rows);
    return { replayed: kept.length - still.size, accepted, duplicates: prepared.rows.length - accepted, stillRejected: still.size };
  }

  /** Rejected records have no place: a scoped caller reads only those of its department's feeds. */
  listRejected(feedKey: string, limit: number, scope: ScopeRoots = null, department: string | null = null): Promise<RejectedRecord[]> {
    return this.rejections.list(feedKey, limit, { allFeeds: scope === null, department });
  }

  /** Adds a chunk to the answer: the rejected records kept are the ones listed, the others only counted. */
  private count(feedKey: string, result: IngestResult, accepted: number, duplicates: number, rejected: RejectedRow[], kept: number): void {
    result.accepted += accepted;
    result.duplicates += duplicates;
    result.rejected += rejected.length;
    for (const r of rejected.slice(0, kept)) result.errors.push({ index: r.index, reason: r.reason } satisfies IngestError);
    if (kept < rejected.length) {
      result.errorsTruncated = true;
      result.rejectedNotKept = (result.rejectedNotKept ?? 0) + rejected.length - kept;
    }
    this.metrics.ingestRecords.inc({ feed: feedKey, outcome: 'accepted' }, accepted);
    if (duplicates) this.metrics.ingestRecords.inc({ feed: feedKey, outcome: 'duplicate' }, duplicates);
    if (rejected.length) this.metrics.ingestRecords.inc({ feed: feedKey, outcome: 'rejected' }, rejected.length);
  }

  private async feedOrThrow(feedKey: string): Promise<FeedDefinition> {
    const feed = await this.feeds.find(feedKey);
    if (!feed) throw new FeedNotFoundError(feedKey);
    return feed;
  }
}
