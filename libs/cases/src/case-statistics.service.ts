import { Injectable, Logger } from '@nestjs/common';
import type { CaseStatistics, CaseStatisticsQuery, CaseStatisticsRow } from '@cityops/contracts';
import { FeedCatalogService, IngestService } from '@cityops/feeds';
import { AreaDirectory, AreaService } from '@cityops/geo';
import { IndicatorService } from '@cityops/indicators';
import { CASE_INDICATORS, CASE_STATISTICS_FEED } from './case-statistics-feed';
import { CaseRepository, type StatisticsRow } from './case.repository';
import type { CaseCaller } from './case.service';

const DAY_MS = 86_400_000;

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/**
 * The loop's numbers: per district, street or department on request (volume, on-time rate per
 * stage, time to close, rating, 企业呼 promise kept), and every five minutes per street into the
 * case-statistics feed, whose indicators put them among the vital signs and on the wall.
 */
@Injectable()
export class CaseStatisticsService {
  private readonly logger = new Logger(CaseStatisticsService.name);

  constructor(
    private readonly cases: CaseRepository,
    private readonly areas: AreaDirectory,
    private readonly areaService: AreaService,
    private readonly feeds: FeedCatalogService,
    private readonly ingest: IngestService,
    private readonly indicators: IndicatorService,
  ) {}

  async statistics(query: CaseStatisticsQuery, caller: CaseCaller, now = new Date()): Promise<CaseStatistics> {
    const to = query.to ? new Date(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    const rows = await this.cases.statistics(query.by, from, to, now, {
      scope: caller.scope,
      department: caller.department,
      userId: caller.userId,
    });
    const names = await this.names(query.by, rows);
    return {
      by: query.by,
      from: from.toISOString(),
      to: to.toISOString(),
      rows: rows.map((r): CaseStatisticsRow => {
        const named = names.get(r.key);
        return {
          key: named?.code ?? r.key,
          name: named?.name ?? r.key,
          nameEn: named?.nameEn ?? null,
          filed: r.filed,
          open: r.open,
          closed: r.closed,
          acceptOnTimeRate: ratio(r.acceptOnTime, r.acceptOnTime + r.acceptLate),
          resolveOnTimeRate: ratio(r.resolveOnTime, r.resolveOnTime + r.resolveLate),
          meanHoursToClose: r.meanHoursToClose,
          meanRating: r.meanRating,
          ratings: r.ratings,
          enterpriseRequests: r.promised,
          promiseKeptRate: ratio(r.promiseKept, r.promiseKept + r.promiseMissed),
          acceptOnTime: r.acceptOnTime,
          acceptLate: r.acceptLate,
          resolveOnTime: r.resolveOnTime,
          resolveLate: r.resolveLate,
          promiseKept: r.promiseKept,
          promiseMissed: r.promiseMissed,
        };
      }),
    };
  }

  /** The statistics feed and its indicators, each only when missing: an admin's edits stand. */
  async ensureFeedAndIndicators(): Promise<void> {
    await this.feeds.ensure(CASE_STATISTICS_FEED);
    const present = new Set((await this.indicators.list()).map((d) => d.key));
    for (const definition of CASE_INDICATORS) if (!present.has(definition.key)) await this.indicators.upsert(definition);
  }

  /** Pushes every street's counts as of `now` (zero where there are no cases), through the feed's own ingest. */
  async publish(now = new Date()): Promise<number> {
    const streets = await this.areaService.list({ level: 'street', geometry: false, limit: 100_000 });
    if (streets.length === 0) return 0;
    const counts = new Map<number, { open: number; overdue: number; supervised: number; filed24h: number }>();
    const rows = await this.cases.countsByStreet(now);
    const refs = await this.areas.byIds(new Set(rows.flatMap((r) => r.path)));
    for (const row of rows) {
      const street = row.path.find((id) => refs.get(id)?.level === 'street');
      if (street === undefined) continue;
      const held = counts.get(street) ?? { open: 0, overdue: 0, supervised: 0, filed24h: 0 };
      counts.set(street, {
        open: held.open + row.open,
        overdue: held.overdue + row.overdue,
        supervised: held.supervised + row.supervised,
        filed24h: held.filed24h + row.filed24h,
      });
    }
    const ts = now.toISOString();
    const records = streets.flatMap((s) => {
      const c = counts.get(s.id) ?? { open: 0, overdue: 0, supervised: 0, filed24h: 0 };
      return (['open', 'overdue', 'supervised', 'filed_24h'] as const).map((metric) => ({
        id: `${s.code}:${metric}:${ts}`,
        entity: s.code,
        area: s.code,
        metric,
        value: metric === 'filed_24h' ? c.filed24h : c[metric],
        ts,
      }));
    });
    const result = await this.ingest.ingestRecords(CASE_STATISTICS_FEED.key, records, 'derived');
    if (result.rejected > 0) this.logger.warn({ rejected: result.rejected }, 'case statistics rejected by their own feed');
    return result.accepted;
  }

  private async names(
    by: CaseStatisticsQuery['by'],
    rows: readonly StatisticsRow[],
  ): Promise<Map<string, { code: string; name: string; nameEn: string | null }>> {
    if (by === 'department') {
      const departments = await this.feeds.departments();
      return new Map(departments.map((d) => [d.code, { code: d.code, name: d.name, nameEn: d.nameEn }]));
    }
    // Keys are area paths as array text: the last id is the district's or the street's.
    const lastIds = new Map(rows.map((r) => [r.key, Number(r.key.replace(/[{}]/g, '').split(',').at(-1))]));
    const refs = await this.areas.byIds([...lastIds.values()].filter(Number.isFinite));
    const named = new Map<string, { code: string; name: string; nameEn: string | null }>();
    for (const [key, id] of lastIds) {
      const ref = refs.get(id);
      if (ref) named.set(key, { code: ref.code, name: ref.name, nameEn: ref.nameEn });
    }
    return named;
  }
}
