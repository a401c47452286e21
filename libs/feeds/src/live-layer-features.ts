import { liveTsProperty, liveValueProperty, type LiveFeature } from '@cityops/contracts';

/** The newest located reading of one entity and metric, as the live layer reads it. */
export interface LiveReading {
  entity: string;
  metric: string;
  value: number;
  /** ISO 8601. */
  ts: string;
  lon: number;
  lat: number;
  areaId: number | null;
  name: string | null;
}

/** A located entity's latest state, as the live layer reads it. */
export interface LiveEntityState {
  id: string;
  ts: Date;
  geometry: { type: string; coordinates: unknown } | null;
  props: Record<string, unknown> | null;
  areaId: number | null;
}

/**
 * Keeps, per entity and metric, the newest of the readings (a batch may carry several of the
 * same sensor), in a stable order: by entity, then metric.
 */
export function newestReadings(readings: readonly LiveReading[]): LiveReading[] {
  const newest = new Map<string, LiveReading>();
  for (const r of readings) {
    const key = `${r.entity}\u0000${r.metric}`;
    const held = newest.get(key);
    if (!held || Date.parse(r.ts) >= Date.parse(held.ts)) newest.set(key, r);
  }
  return [...newest.values()].sort((a, b) => (a.entity === b.entity ? cmp(a.metric, b.metric) : cmp(a.entity, b.entity)));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One feature per entity from its newest readings: placed where its newest reading was, named by
 * the newest reading that names it, with `value:<metric>` and `ts:<metric>` for each metric.
 */
export function readingFeatures(readings: readonly LiveReading[], areaCodes: ReadonlyMap<number, string>): LiveFeature[] {
  const byEntity = new Map<string, LiveReading[]>();
  for (const r of newestReadings(readings)) {
    const list = byEntity.get(r.entity) ?? [];
    list.push(r);
    byEntity.set(r.entity, list);
  }
  return [...byEntity.entries()].map(([id, list]) => {
    const newest = list.reduce((a, b) => (Date.parse(b.ts) > Date.parse(a.ts) ? b : a));
    const named = list.filter((r) => r.name !== null).sort((a, b) => Date.parse(b.ts) - Date.parse(a.ts))[0];
    const properties: Record<string, unknown> = {
      id,
      name: named?.name ?? null,
      ts: new Date(newest.ts).toISOString(),
      area: newest.areaId === null ? null : (areaCodes.get(newest.areaId) ?? null),
    };
    for (const r of list) {
      properties[liveValueProperty(r.metric)] = r.value;
      properties[liveTsProperty(r.metric)] = new Date(r.ts).toISOString();
    }
    return { type: 'Feature' as const, id, geometry: { type: 'Point', coordinates: [newest.lon, newest.lat] }, properties };
  });
}

/** A located entity as a live feature: its props, then our own fields (a prop of the same name must not pass for them). */
export function entityFeature(state: LiveEntityState, areaCodes: ReadonlyMap<number, string>): LiveFeature | null {
  if (!state.geometry) return null;
  return {
    type: 'Feature',
    id: state.id,
    geometry: state.geometry,
    properties: {
      ...state.props,
      id: state.id,
      ts: state.ts.toISOString(),
      area: state.areaId === null ? null : (areaCodes.get(state.areaId) ?? null),
    },
  };
}
