import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  DUPLICATE_RADIUS_METERS,
  DUPLICATE_WINDOW_HOURS,
  detectionSchema,
  detectionsBodySchema,
  findUnstorable,
  type Detection,
  type DetectionResult,
  type DetectionSourceView,
  type DetectionSourceWrite,
  type DetectionVerdict,
  type DetectionView,
} from '@cityops/contracts';
import { AuditTrail, DomainException, ValidationError, issuesText, problemErrors } from '@cityops/core';
import { FeedCatalogService } from '@cityops/feeds';
import { CaseRepository, type StoredDetectionSource } from './case.repository';
import { CaseService } from './case.service';

const HOUR_MS = 3_600_000;
/** A rejected detection is kept as it came, up to this many characters. */
const RAW_LIMIT = 10_000;

export class NotADetectionSourceError extends DomainException<'not_a_detection_source'> {
  constructor(feed: string) {
    super(
      'not_a_detection_source',
      409,
      'Conflict',
      `Feed ${feed} is not a case source (or is switched off): an admin maps its detection kinds to categories with PUT /api/case-detection-sources/${feed}.`,
    );
  }
}

type Outcome = DetectionResult['results'][number];

function viewOf(s: StoredDetectionSource): DetectionSourceView {
  return { ...s, updatedAt: s.updatedAt.toISOString() };
}

/** The request id a detection files its case under: short, and the same for the same detection. */
function requestIdOf(detectionId: string): string {
  return detectionId.length <= 90 && /^[A-Za-z0-9_.:-]+$/.test(detectionId)
    ? `det:${detectionId}`
    : `det:${createHash('sha256').update(detectionId).digest('hex').slice(0, 64)}`;
}

/**
 * Cases filed by machines: a video-analysis or sensor system posts what it detected; each
 * detection is checked on its own, and becomes a case (source `machine`), or is attached to an
 * open case of its category within 100 m and 48 h (the same garbage pile seen by the camera every
 * minute is one case), or is ignored under the source's confidence floor, or is rejected with its
 * reason. Every detection is kept with what became of it; one sent again answers the same.
 */
@Injectable()
export class CaseDetectionService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly caseService: CaseService,
    private readonly feeds: FeedCatalogService,
  ) {}

  async sources(): Promise<DetectionSourceView[]> {
    return (await this.cases.detectionSources()).map(viewOf);
  }

  async putSource(feedKey: string, body: DetectionSourceWrite, actor: string): Promise<DetectionSourceView> {
    await this.feeds.get(feedKey);
    const known = new Set((await this.cases.categories()).filter((c) => c.enabled).map((c) => c.key));
    const unknown = Object.entries(body.categories).filter(([, category]) => !known.has(category));
    if (unknown.length)
      throw new ValidationError(
        unknown.map(([kind]) => ({ path: `categories.${kind}`, message: 'no such category in use (GET /api/case-categories)' })),
      );
    const before = await this.cases.detectionSource(feedKey);
    await this.cases.putDetectionSource({ feed: feedKey, ...body, updatedBy: actor });
    const after = await this.cases.detectionSource(feedKey);
    if (!after) throw new NotADetectionSourceError(feedKey);
    AuditTrail.noteChange({
      targetType: 'case_detection_source',
      targetId: feedKey,
      before: before && viewOf(before),
      after: viewOf(after),
    });
    return viewOf(after);
  }

  async list(feedKey: string, verdict: DetectionVerdict | undefined, limit: number): Promise<DetectionView[]> {
    await this.feeds.get(feedKey);
    return this.cases.detections({ feed: feedKey, verdict, limit });
  }

  /**
   * Takes in a batch: the answer says, detection by detection, what became of it. The body is
   * checked here, not by the route's pipe: one bad detection must not refuse the good ones beside it.
   */
  async ingest(feedKey: string, body: unknown): Promise<DetectionResult> {
    const envelope = detectionsBodySchema.safeParse(body);
    if (!envelope.success) throw new ValidationError(problemErrors(envelope.error.issues));
    const detections = envelope.data.detections;
    const feed = await this.feeds.get(feedKey);
    const source = await this.cases.detectionSource(feedKey);
    if (!source?.enabled) throw new NotADetectionSourceError(feedKey);
    const ids = detections.flatMap((d) =>
      typeof d === 'object' && d !== null && typeof (d as { id?: unknown }).id === 'string' ? [(d as { id: string }).id] : [],
    );
    const received = await this.cases.receivedDetections(feedKey, ids);
    const categories = await this.cases.categories();
    const results: Outcome[] = [];
    for (const [index, raw] of detections.entries()) {
      const parsed = detectionSchema.safeParse(raw);
      const unstorable = parsed.success ? findUnstorable(raw) : null;
      if (!parsed.success || unstorable) {
        const reason = parsed.success
          ? `${unstorable?.path.join('.') || '(root)'}: ${unstorable?.message}`
          : issuesText(parsed.error.issues, 'detection');
        results.push(await this.reject(feedKey, index, raw, reason));
        continue;
      }
      const d = parsed.data;
      const earlier = received.get(d.id);
      if (earlier) {
        results.push({ index, id: d.id, verdict: earlier.verdict, caseCode: earlier.caseCode, reason: earlier.reason, repeated: true });
        continue;
      }
      const category = categories.find((c) => c.key === source.categories[d.kind] && c.enabled);
      let outcome: Omit<Outcome, 'index' | 'id' | 'repeated'>;
      if (!category) outcome = { verdict: 'rejected', caseCode: null, reason: `kind: ${d.kind} is not mapped to a case category in use` };
      else if (d.confidence < source.minConfidence)
        outcome = {
          verdict: 'ignored',
          caseCode: null,
          reason: `confidence ${d.confidence} is under the source's floor ${source.minConfidence}`,
        };
      else outcome = await this.place(feedKey, feed.name, d, category.key, category.name);
      const caseId = outcome.caseCode ? ((await this.cases.findByCode(outcome.caseCode, null))?.id ?? null) : null;
      await this.cases.recordDetection({
        feed: feedKey,
        detectionId: d.id,
        kind: d.kind,
        confidence: d.confidence,
        location: d.location,
        detectedAt: new Date(d.detectedAt),
        snapshotUrl: d.snapshotUrl ?? null,
        verdict: outcome.verdict,
        reason: outcome.reason,
        caseId,
        raw: outcome.verdict === 'rejected' ? JSON.stringify(raw).slice(0, RAW_LIMIT) : null,
      });
      results.push({ index, id: d.id, repeated: false, ...outcome });
    }
    const count = (v: DetectionVerdict) => results.filter((r) => r.verdict === v && !r.repeated).length;
    return {
      received: detections.length,
      filed: count('filed'),
      attached: count('attached'),
      ignored: count('ignored'),
      rejected: count('rejected'),
      results,
    };
  }

  /** An open case of the category nearby takes the detection; otherwise it files a new one. */
  private async place(
    feedKey: string,
    feedName: string,
    d: Detection,
    category: string,
    categoryName: string,
  ): Promise<Omit<Outcome, 'index' | 'id' | 'repeated'>> {
    const detectedAt = new Date(d.detectedAt);
    const [near] = await this.cases.nearbyOpen({
      category,
      location: d.location,
      meters: DUPLICATE_RADIUS_METERS,
      since: new Date(detectedAt.getTime() - DUPLICATE_WINDOW_HOURS * HOUR_MS),
      excludeId: null,
      reader: { scope: null, department: null, userId: null },
      limit: 1,
    });
    const detail = { feed: feedKey, detection: d.id, kind: d.kind, confidence: d.confidence, snapshotUrl: d.snapshotUrl ?? null };
    if (near) {
      await this.cases.addEvent(null, near.stored.id, {
        actor: feedKey,
        action: 'detected',
        fromState: null,
        toState: null,
        comment: null,
        internal: false,
        detail: { ...detail, distanceMeters: near.distanceMeters },
      });
      return { verdict: 'attached', caseCode: near.stored.code, reason: null };
    }
    try {
      const filed = await this.caseService.file(
        {
          category,
          description: d.description ?? `${categoryName}（${feedName}识别，置信度 ${Math.round(d.confidence * 100)}%）`,
          location: d.location,
          priority: 'normal',
          reportedAt: d.detectedAt,
          clientRequestId: requestIdOf(d.id),
        },
        { userId: null, submittedBy: `feed:${feedKey}`, actor: feedKey, reporterName: feedName, reporterContact: null, scope: null },
        'machine',
      );
      return { verdict: 'filed', caseCode: filed.code, reason: null };
    } catch (error) {
      if (error instanceof ValidationError) {
        return {
          verdict: 'rejected',
          caseCode: null,
          reason: (error.errors ?? []).map((e) => `${e.path}: ${e.message}`).join('; ') || error.message,
        };
      }
      throw error;
    }
  }

  private async reject(feedKey: string, index: number, raw: unknown, reason: string): Promise<Outcome> {
    const id =
      typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
    // An id that cannot be stored is not kept as one; the record is, as text.
    const storableId = id !== null && /^[\x21-\x7e]{1,200}$/.test(id) ? id : null;
    let text: string | null;
    try {
      // JSON text escapes NULs and lone surrogates, so it can always be stored.
      text = (JSON.stringify(raw) ?? 'undefined').slice(0, RAW_LIMIT);
    } catch {
      text = null;
    }
    await this.cases.recordDetection({
      feed: feedKey,
      detectionId: storableId,
      kind: null,
      confidence: null,
      location: null,
      detectedAt: null,
      snapshotUrl: null,
      verdict: 'rejected',
      reason,
      caseId: null,
      raw: text,
    });
    return { index, id: storableId, verdict: 'rejected', caseCode: null, reason, repeated: false };
  }
}
