import { Injectable } from '@nestjs/common';
import {
  indicatorChannel,
  ServerEvents,
  type IndicatorSummaryPoint,
  type IndicatorValuesEvent,
  type IndicatorValueView,
} from '@cityops/contracts';
import { LivePublisher } from '@cityops/core';
import { ObservationQueryService } from '@cityops/feeds';
import { AreaDirectory, AreaService, type ScopeRoots } from '@cityops/geo';
import { IndicatorNotFoundError } from './indicator.exception';
import { IndicatorRepository, type ComputedValue, type IndicatorDefinition, type LatestRatioParams } from './indicator.repository';

/** Course order: by `seq` (areas without one last), then by code. */
function bySeqThenCode(a: IndicatorValueView, b: IndicatorValueView): number {
  if (a.seq !== b.seq) return a.seq === null ? 1 : b.seq === null ? -1 : a.seq - b.seq;
  return a.areaCode < b.areaCode ? -1 : a.areaCode > b.areaCode ? 1 : 0;
}

@Injectable()
export class IndicatorService {
  constructor(
    private readonly indicators: IndicatorRepository,
    private readonly observations: ObservationQueryService,
    private readonly areas: AreaDirectory,
    private readonly areaService: AreaService,
    private readonly live: LivePublisher,
  ) {}

  async definition(key: string): Promise<IndicatorDefinition> {
    const d = await this.indicators.find(key);
    if (!d) throw new IndicatorNotFoundError(key);
    return d;
  }

  /** Display names of the indicators among `keys` (alerts are titled with them). */
  names(keys: string[]): Promise<Map<string, string>> {
    return this.indicators.names(keys);
  }

  list(): Promise<IndicatorDefinition[]> {
    return this.indicators.list();
  }

  upsert(definition: IndicatorDefinition): Promise<void> {
    return this.indicators.upsert(definition);
  }

  /** Recomputes from the latest observations, stores new values and pushes the full latest set live. */
  async recompute(key: string): Promise<IndicatorValuesEvent> {
    const d = await this.definition(key);
    switch (d.kind) {
      case 'latest_ratio_to_capacity':
        await this.indicators.storeValues(d.key, await this.latestRatios(d.params));
        break;
    }
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

  /** The newest value of each area in the scope (every area for a null scope). */
  async latest(key: string, scope: ScopeRoots = null, known?: IndicatorDefinition): Promise<IndicatorValuesEvent> {
    const d = known ?? (await this.definition(key));
    return {
      indicatorKey: d.key,
      computedAt: new Date().toISOString(),
      thresholds: d.thresholds,
      values: await this.latestValues(d.key, scope),
    };
  }

  /** Latest observed value ÷ the area's capacity, for every area of the zone set that has a capacity. */
  private async latestRatios(p: LatestRatioParams): Promise<ComputedValue[]> {
    const areas = (await this.areas.zoneSetAreas(p.zoneSet)).filter((a) => a.capacity !== null && a.capacity > 0);
    const latest = await this.observations.latestPerArea(
      p.feed,
      p.metric,
      areas.map((a) => a.id),
    );
    return areas.flatMap((a) => {
      const o = latest.get(a.id);
      return o ? [{ areaId: a.id, ts: o.ts, value: o.value / a.capacity!, numerator: o.value, denominator: a.capacity }] : [];
    });
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

  /**
   * Stored values of the scope's areas over time. An area asked for by id must exist and lie in
   * the scope: otherwise 404, the same answer for both, so the scope does not tell what exists.
   */
  async values(key: string, areaId: number | undefined, from: Date, to: Date, limit: number, scope: ScopeRoots = null) {
    await this.definition(key);
    if (areaId !== undefined) await this.areaService.get(areaId, false, scope);
    return this.indicators.values(key, areaId, from, to, limit, scope);
  }

  async summary(key: string, from: Date, bucketSeconds: number, scope: ScopeRoots = null): Promise<IndicatorSummaryPoint[]> {
    const d = await this.definition(key);
    const warning = d.thresholds?.warning ?? Number.POSITIVE_INFINITY;
    const critical = d.thresholds?.critical ?? Number.POSITIVE_INFINITY;
    return this.indicators.summary(key, from, bucketSeconds, warning, critical, scope);
  }
}
