import { Injectable } from '@nestjs/common';
import {
  indicatorChannel,
  indicatorWriteSchema,
  PREVIEW_POINTS,
  ServerEvents,
  type IndicatorPreview,
  type IndicatorReplace,
  type IndicatorSummaryPoint,
  type IndicatorValuesEvent,
  type IndicatorValueView,
  type IndicatorWrite,
  type IndicatorWriteInput,
  type Normalisation,
  type ThresholdSpec,
} from '@cityops/contracts';
import { AuditTrail, LivePublisher, ValidationError } from '@cityops/core';
import { FeedCatalogService, ObservationQueryService } from '@cityops/feeds';
import { AreaDirectory, AreaService, type AreaMeasure, type ScopeRoots } from '@cityops/geo';
import { evaluateFormula, parseFormula } from './formula';
import { IndicatorTriggerService } from './indicator-trigger.service';
import { readsOf, validateDefinition, type DefinitionContext } from './indicator-validation';
import { IndicatorExistsError, IndicatorInUseError, IndicatorNotFoundError } from './indicator.exception';
import { IndicatorRepository, type ComputedValue, type IndicatorDefinition } from './indicator.repository';

/** Live readings may carry a time a little ahead of ours (the senders' clocks); they count for "now". */
const LIVE_LEAD_SECONDS = 300;
const PREVIEW_STEP_SECONDS = 60;
/** Values stored per statement when computing a history: a grid-level indicator's day is millions. */
const HISTORY_CHUNK = 20_000;

/** Course order: by `seq` (areas without one last), then by code. */
function bySeqThenCode(a: IndicatorValueView, b: IndicatorValueView): number {
  if (a.seq !== b.seq) return a.seq === null ? 1 : b.seq === null ? -1 : a.seq - b.seq;
  return a.areaCode < b.areaCode ? -1 : a.areaCode > b.areaCode ? 1 : 0;
}

/** The threshold of a level, for the summary's "areas at or beyond warning / critical". */
function levelOf(t: ThresholdSpec | null, level: 'warning' | 'critical') {
  const l = t?.levels.find((x) => x.level === level);
  return l ? { op: l.op, value: l.value } : null;
}

/** What an area's value is divided by; null (no value) where the area lacks it. */
function denominatorOf(area: AreaMeasure | undefined, normalise: Normalisation): number | null {
  if (!area) return null;
  const d = normalise === 'per_capacity' ? area.capacity : normalise === 'per_10k_residents' ? (area.population ?? 0) / 10_000 : area.km2;
  return d && d > 0 ? d : null;
}

interface SeriesPoint {
  value: number;
  ts: string;
  numerator: number | null;
  denominator: number | null;
}

/** Area id → point (epoch ms) → value. */
type Series = Map<number, Map<number, SeriesPoint>>;

/**
 * `keys` in layers: the first reads none of `keys`, each later one reads only keys of the layers
 * before it (reads outside `keys` are stored already; a cycle, which validation refuses, ends in
 * the last layer).
 */
function inputLayers(keys: readonly string[], reads: ReadonlyMap<string, readonly string[]>): string[][] {
  const wanted = new Set(keys);
  const depth = new Map<string, number>();
  const depthOf = (key: string, path: ReadonlySet<string>): number => {
    const known = depth.get(key);
    if (known !== undefined) return known;
    const inputs = (reads.get(key) ?? []).filter((input) => wanted.has(input) && !path.has(input));
    const d = inputs.length === 0 ? 0 : 1 + Math.max(...inputs.map((input) => depthOf(input, new Set([...path, key]))));
    depth.set(key, d);
    return d;
  };
  const layers: string[][] = [];
  for (const key of new Set(keys)) (layers[depthOf(key, new Set())] ??= []).push(key);
  return layers.filter((layer) => layer.length > 0);
}

@Injectable()
export class IndicatorService {
  constructor(
    private readonly indicators: IndicatorRepository,
    private readonly feeds: FeedCatalogService,
    private readonly observations: ObservationQueryService,
    private readonly areas: AreaDirectory,
    private readonly areaService: AreaService,
    private readonly live: LivePublisher,
    private readonly triggers: IndicatorTriggerService,
  ) {}

  async definition(key: string): Promise<IndicatorDefinition> {
    const d = await this.indicators.find(key);
    if (!d) throw new IndicatorNotFoundError(key);
    return d;
  }

  list(): Promise<IndicatorDefinition[]> {
    return this.indicators.list();
  }

  /** `POST /api/indicators`: a new definition, checked against the catalog; computed at once. */
  async create(d: IndicatorWrite): Promise<IndicatorDefinition> {
    const created = await this.save(d, (existing) => {
      if (existing) throw new IndicatorExistsError(d.key);
    });
    AuditTrail.noteChange({ targetType: 'indicator', targetId: d.key, before: null, after: created });
    return created;
  }

  /** `PUT /api/indicators/:key`: creates or replaces; the same PUT again changes nothing more. */
  async replace(key: string, body: IndicatorReplace): Promise<IndicatorDefinition> {
    let before: IndicatorDefinition | null = null;
    const saved = await this.save({ ...body, key }, (existing) => {
      before = existing;
    });
    AuditTrail.noteChange({ targetType: 'indicator', targetId: key, before, after: saved });
    return saved;
  }

  /** For start-up seeding: create or replace a definition given in its input form (defaults filled). */
  async upsert(input: IndicatorWriteInput): Promise<IndicatorDefinition> {
    return this.save(indicatorWriteSchema.parse(input), () => undefined);
  }

  /** `DELETE /api/indicators/:key`: refused while a composite reads it. Its values and alerts go with it. */
  async delete(key: string): Promise<IndicatorDefinition> {
    return this.indicators.transaction(async (m) => {
      const existing = await this.indicators.find(key, m);
      if (!existing) throw new IndicatorNotFoundError(key);
      const graph = await this.indicators.readsGraph(m);
      const readBy = [...graph.entries()].filter(([k, reads]) => k !== key && reads.includes(key)).map(([k]) => k);
      if (readBy.length) throw new IndicatorInUseError(key, readBy);
      await this.indicators.delete(m, key);
      AuditTrail.noteChange({ targetType: 'indicator', targetId: key, before: existing, after: null });
      return existing;
    });
  }

  /** Checks and stores a definition under the definitions' lock, then has it computed. */
  private async save(d: IndicatorWrite, check: (existing: IndicatorDefinition | null) => void): Promise<IndicatorDefinition> {
    const context = await this.catalogContext();
    const saved = await this.indicators.transaction(async (m) => {
      check(await this.indicators.find(d.key, m));
      const errors = validateDefinition(d, { ...context, indicators: await this.indicators.readsGraph(m) });
      if (errors.length) throw new ValidationError(errors, `Indicator ${d.key} was not saved: fix the fields listed.`);
      return this.indicators.save(m, d, readsOf(d.source));
    });
    if (saved.enabled) await this.triggers.definitionChanged(saved.key);
    return saved;
  }

  /** Feeds with their metrics and zone sets, for validation (indicators are filled in under the lock). */
  private async catalogContext(): Promise<Omit<DefinitionContext, 'indicators'>> {
    const [feeds, zoneSets] = await Promise.all([this.feeds.list(), this.areaService.zoneSets()]);
    return {
      feeds: new Map(feeds.map((f) => [f.key, f.metrics.map((m) => m.key)])),
      zoneSets: new Set(zoneSets.map((z) => z.key)),
    };
  }

  /**
   * Recomputes from the stored data, stores new values, pushes the full latest set live and has
   * the composites that read this indicator recomputed after it.
   */
  async recompute(key: string): Promise<IndicatorValuesEvent> {
    const d = await this.definition(key);
    if (!d.enabled) return { ...this.eventHead(d), values: [] };
    const now = new Date();
    const series = await this.evaluate(d, { from: now, to: now, stepSeconds: PREVIEW_STEP_SECONDS, leadSeconds: LIVE_LEAD_SECONDS });
    const values: ComputedValue[] = [];
    for (const [areaId, byPoint] of series) for (const v of byPoint.values()) values.push({ areaId, ...v });
    const changed = await this.indicators.storeValues(d.key, values);
    if (changed > 0) await this.triggers.inputChanged(d.key);
    const event = await this.latest(key, null, d);
    // Each scoped listener hears the values of its own areas only (LivePublisher.publishScoped).
    this.live.publishScoped({
      channel: indicatorChannel(key),
      event: ServerEvents.indicatorValues,
      payload: event,
      list: { key: 'values', places: event.values.map((v) => ({ areaIds: [v.areaId] })) },
    });
    return event;
  }

  /**
   * The indicators' past over [from, to]: each evaluated on the stored data at one point every
   * `stepSeconds` and stored into its history as if computed then, so readings that arrived in
   * bulk (a feed's backfilled day) get the trends and the replay they imply. Composites read
   * their inputs' stored history, so inputs go first whatever order `keys` is in. Publishes
   * nothing and triggers nothing: nothing happened now. Answers the values stored per indicator.
   */
  async computeHistory(keys: readonly string[], window: { from: Date; to: Date }, stepSeconds: number): Promise<Map<string, number>> {
    const step = stepSeconds * 1000;
    // Points on whole steps: the same instants for every indicator, so a composite finds its inputs at each.
    const from = new Date(Math.ceil(window.from.getTime() / step) * step);
    const to = new Date(Math.floor(window.to.getTime() / step) * step);
    const stored = new Map<string, number>();
    if (from > to) return stored;
    const compute = async (key: string) => {
      const d = await this.definition(key);
      if (!d.enabled) return;
      const series = await this.evaluate(d, { from, to, stepSeconds, leadSeconds: 0 });
      const values: ComputedValue[] = [];
      for (const [areaId, byPoint] of series) for (const v of byPoint.values()) values.push({ areaId, ...v });
      let n = 0;
      for (let i = 0; i < values.length; i += HISTORY_CHUNK)
        n += await this.indicators.storeValues(d.key, values.slice(i, i + HISTORY_CHUNK));
      stored.set(key, n);
    };
    // Layer by layer (a composite after all it reads); within a layer two at a time: PostgreSQL
    // spends a core on each indicator's aggregate.
    for (const layer of inputLayers(keys, await this.indicators.readsGraph())) {
      const queue = [...layer];
      const worker = async () => {
        for (let key = queue.shift(); key !== undefined; key = queue.shift()) await compute(key);
      };
      await Promise.all([worker(), worker()]);
    }
    return stored;
  }

  /**
   * `POST /api/indicators/preview`: the definition evaluated at one point a minute over the last
   * hour, on the stored data, without saving anything.
   */
  async preview(d: IndicatorWrite): Promise<IndicatorPreview> {
    const context = await this.catalogContext();
    const errors = validateDefinition(d, { ...context, indicators: await this.indicators.readsGraph() });
    if (errors.length) throw new ValidationError(errors, `Indicator ${d.key} cannot be previewed: fix the fields listed.`);
    const to = new Date(Math.floor(Date.now() / 1000) * 1000);
    const from = new Date(to.getTime() - (PREVIEW_POINTS - 1) * PREVIEW_STEP_SECONDS * 1000);
    const series = await this.evaluate(d, { from, to, stepSeconds: PREVIEW_STEP_SECONDS, leadSeconds: 0 });
    const refs = await this.areas.byIds(series.keys());
    const areas = [...series.entries()]
      .flatMap(([areaId, byPoint]) => {
        const area = refs.get(areaId);
        if (!area) return [];
        const points = [...byPoint.entries()]
          .sort(([a], [b]) => a - b)
          .map(([pt, v]) => ({ ts: new Date(pt).toISOString(), value: v.value }));
        return [{ areaId, areaCode: area.code, areaName: area.name, seq: area.seq, points }];
      })
      .sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity) || (a.areaCode < b.areaCode ? -1 : a.areaCode > b.areaCode ? 1 : 0))
      .map(({ seq: _seq, ...area }) => area);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      stepSeconds: PREVIEW_STEP_SECONDS,
      areas,
      // Filled by the alert lifecycle (AlertService.preview), which owns the state machine.
      alerts: null,
    };
  }

  /** Per area, per point (epoch ms): the value and what it was computed from. */
  private async evaluate(
    d: Pick<IndicatorWrite, 'source' | 'grouping'>,
    at: { from: Date; to: Date; stepSeconds: number; leadSeconds: number },
  ): Promise<Series> {
    const series: Series = new Map();
    const put = (areaId: number, pt: number, v: SeriesPoint) => {
      let byPoint = series.get(areaId);
      if (!byPoint) series.set(areaId, (byPoint = new Map<number, SeriesPoint>()));
      byPoint.set(pt, v);
    };
    const areas = await this.areas.measuredAreas(d.grouping);
    if (d.source.kind === 'aggregate') {
      const { feed, metric, windowSeconds, perEntity, across, normalise } = d.source;
      const byId = new Map(areas.map((a) => [a.id, a]));
      const rows = await this.observations.aggregatePerArea({
        feed,
        metric,
        windowSeconds,
        perEntity,
        across,
        areaIds: areas.map((a) => a.id),
        ...at,
      });
      for (const r of rows) {
        if (!normalise) {
          put(r.areaId, r.pt.getTime(), { value: r.value, ts: r.ts, numerator: null, denominator: null });
          continue;
        }
        const denominator = denominatorOf(byId.get(r.areaId), normalise);
        if (denominator !== null)
          put(r.areaId, r.pt.getTime(), { value: r.value / denominator, ts: r.ts, numerator: r.value, denominator });
      }
      return series;
    }
    const formula = parseFormula(d.source.formula);
    const reads = readsOf(d.source);
    const points: Date[] = [];
    for (let t = at.from.getTime(); t <= at.to.getTime(); t += at.stepSeconds * 1000) points.push(new Date(t));
    const areaIds = areas.map((a) => a.id);
    const inputs = new Map<string, { values: Map<string, number>; ts: number }>();
    for (const r of await this.indicators.inputsAt(reads, areaIds, points)) {
      const id = `${r.pt.getTime()}:${r.areaId}`;
      let held = inputs.get(id);
      if (!held) inputs.set(id, (held = { values: new Map(), ts: 0 }));
      held.values.set(r.key, r.value);
      held.ts = Math.max(held.ts, r.ts.getTime());
    }
    for (const pt of points) {
      for (const areaId of areaIds) {
        const held = inputs.get(`${pt.getTime()}:${areaId}`);
        if (!held) continue;
        const value = evaluateFormula(formula, held.values);
        if (value !== null) put(areaId, pt.getTime(), { value, ts: new Date(held.ts).toISOString(), numerator: null, denominator: null });
      }
    }
    return series;
  }

  private eventHead(d: IndicatorDefinition): Omit<IndicatorValuesEvent, 'values'> {
    return {
      indicatorKey: d.key,
      name: d.name,
      nameEn: d.nameEn,
      theme: d.theme,
      unit: d.unit,
      format: d.format,
      computedAt: new Date().toISOString(),
      thresholds: d.thresholds,
    };
  }

  /** The newest value of each area in the scope (every area for a null scope). */
  async latest(key: string, scope: ScopeRoots = null, known?: IndicatorDefinition): Promise<IndicatorValuesEvent> {
    const d = known ?? (await this.definition(key));
    return { ...this.eventHead(d), values: await this.latestValues(d.key, scope) };
  }

  /** Each area's newest value with the area's code, name and course position, in course order. */
  private async latestValues(key: string, scope: ScopeRoots): Promise<IndicatorValueView[]> {
    const values = await this.indicators.latest(key, scope);
    const areas = await this.areas.byIds(values.map((v) => v.areaId));
    return values
      .flatMap((v) => {
        const area = areas.get(v.areaId);
        return area ? [{ ...v, areaCode: area.code, areaName: area.name, seq: area.seq }] : [];
      })
      .sort(bySeqThenCode);
  }

  async summary(key: string, from: Date, bucketSeconds: number, scope: ScopeRoots = null): Promise<IndicatorSummaryPoint[]> {
    const d = await this.definition(key);
    return this.indicators.summary(key, from, bucketSeconds, levelOf(d.thresholds, 'warning'), levelOf(d.thresholds, 'critical'), scope);
  }
}
