import type { BackfillReading } from '@cityops/feeds';
import { SIMULATOR_SOURCE } from '../simulator/marathon-records';
import type { CityFeed } from './city-feeds';
import type { DemoCitySites } from './city-sites';

/** Rows per batch handed to the backfill: large enough for COPY, small enough to stream. */
const BATCH_ROWS = 5000;

/** The instants a feed posts at in [from, to): every cadence step of the clock (epoch ms). */
export function historyTicks(cadenceSeconds: number, from: Date, to: Date): number[] {
  const step = cadenceSeconds * 1000;
  const ticks: number[] = [];
  for (let t = Math.ceil(from.getTime() / step) * step; t < to.getTime(); t += step) ticks.push(t);
  return ticks;
}

/**
 * What the simulator would have posted for a feed over [from, to): the same sites, the same
 * seeded values (pure functions of seed, site and instant), the same ids, entity and props, one
 * reading per site and metric at each cadence step. Site by site, each site's day in time order,
 * so the rows reach the observation indexes (per entity, per area) in the order they keep them;
 * yielded in batches as they are computed, so a day is never held at once.
 */
export function* cityFeedHistory(
  cityFeed: CityFeed,
  sites: DemoCitySites,
  seed: number,
  from: Date,
  to: Date,
): Generator<BackfillReading[]> {
  const ticks = historyTicks(cityFeed.cadenceSeconds, from, to);
  let batch: BackfillReading[] = [];
  for (const site of cityFeed.sites(sites)) {
    const props = { source: SIMULATOR_SOURCE, name: site.name };
    for (const t of ticks) {
      const values = cityFeed.read(seed, site, new Date(t));
      for (const metric in values) {
        batch.push({
          id: `${site.id}:${metric}:${t}`,
          entity: site.id,
          metric,
          value: values[metric],
          ts: t,
          location: site.location,
          props,
        });
      }
      if (batch.length >= BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) yield batch;
}
