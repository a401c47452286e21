import { Injectable } from '@nestjs/common';
import { indicatorChannel, ServerEvents, type IndicatorSummaryPoint, type IndicatorValuesEvent } from '@cityops/contracts';
import { LivePublisher } from '@cityops/core';
import { IndicatorNotFoundError } from './indicator.exception';
import { IndicatorRepository, type IndicatorDefinition } from './indicator.repository';

@Injectable()
export class IndicatorService {
  constructor(
    private readonly indicators: IndicatorRepository,
    private readonly live: LivePublisher,
  ) {}

  async definition(key: string): Promise<IndicatorDefinition> {
    const d = await this.indicators.find(key);
    if (!d) throw new IndicatorNotFoundError(key);
    return d;
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
        await this.indicators.computeLatestRatio(d.key, d.params);
        break;
    }
    const event = await this.latest(key, d);
    this.live.publish(indicatorChannel(key), ServerEvents.indicatorValues, event);
    return event;
  }

  async latest(key: string, known?: IndicatorDefinition): Promise<IndicatorValuesEvent> {
    const d = known ?? (await this.definition(key));
    return {
      indicatorKey: d.key,
      computedAt: new Date().toISOString(),
      thresholds: d.thresholds,
      values: await this.indicators.latest(d.key),
    };
  }

  async values(key: string, areaId: number | undefined, from: Date, to: Date, limit: number) {
    await this.definition(key);
    return this.indicators.values(key, areaId, from, to, limit);
  }

  async summary(key: string, from: Date, bucketSeconds: number): Promise<IndicatorSummaryPoint[]> {
    const d = await this.definition(key);
    const warning = d.thresholds?.warning ?? Number.POSITIVE_INFINITY;
    const critical = d.thresholds?.critical ?? Number.POSITIVE_INFINITY;
    return this.indicators.summary(key, from, bucketSeconds, warning, critical);
  }
}
