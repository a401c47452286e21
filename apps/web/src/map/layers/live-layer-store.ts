import type { LiveFeature, LiveLayerChange } from '@cityops/contracts';

/** A live layer's features by entity id. */
export type LiveStore = Map<string, LiveFeature>;

const VALUE_PREFIX = 'value:';

/** Epoch ms of a time property; -Infinity when absent or unreadable (anything known is newer). */
function timeOf(value: unknown): number {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : -Infinity;
}

/** New readings of an entity merged into what is held: each metric only when newer, the place and time only from its newest reading. */
function merged(held: LiveFeature, incoming: LiveFeature): LiveFeature {
  const properties = { ...held.properties };
  for (const [key, value] of Object.entries(incoming.properties)) {
    if (!key.startsWith(VALUE_PREFIX)) continue;
    const tsKey = `ts:${key.slice(VALUE_PREFIX.length)}`;
    if (timeOf(incoming.properties[tsKey]) >= timeOf(held.properties[tsKey])) {
      properties[key] = value;
      properties[tsKey] = incoming.properties[tsKey];
    }
  }
  const newest = timeOf(incoming.properties.ts) >= timeOf(held.properties.ts);
  if (!newest) return { ...held, properties };
  for (const key of ['ts', 'area', 'name'] as const) {
    if (incoming.properties[key] !== null && incoming.properties[key] !== undefined) properties[key] = incoming.properties[key];
  }
  return { ...held, geometry: incoming.geometry, properties };
}

/**
 * Applies a delta to the store in place; answers whether anything changed. A change older than
 * what is held is dropped, so a delta that crossed a fresher snapshot does no harm and applying
 * the same delta twice changes nothing.
 */
export function applyLiveChanges(store: LiveStore, changes: readonly LiveLayerChange[]): boolean {
  let changed = false;
  for (const change of changes) {
    if (change.op === 'remove') {
      changed = store.delete(change.id) || changed;
      continue;
    }
    const { feature } = change;
    const held = store.get(feature.id);
    if (!held) {
      store.set(feature.id, feature);
      changed = true;
    } else if (change.op === 'replace') {
      if (timeOf(feature.properties.ts) < timeOf(held.properties.ts)) continue;
      store.set(feature.id, feature);
      changed = true;
    } else {
      store.set(feature.id, merged(held, feature));
      changed = true;
    }
  }
  return changed;
}

/** A store holding exactly a snapshot's features. */
export function storeOf(features: readonly LiveFeature[]): LiveStore {
  return new Map(features.map((f) => [f.id, f]));
}

/** The readings of a live feature (`value:<metric>` with `ts:<metric>`), in the order of the metrics given, then any other. */
export function readingsOf(
  properties: Record<string, unknown>,
  metricOrder: readonly string[] = [],
): { metric: string; value: number; ts: string | null }[] {
  const readings = Object.entries(properties).flatMap(([key, value]) => {
    if (!key.startsWith(VALUE_PREFIX) || typeof value !== 'number') return [];
    const metric = key.slice(VALUE_PREFIX.length);
    const ts = properties[`ts:${metric}`];
    return [{ metric, value, ts: typeof ts === 'string' ? ts : null }];
  });
  const rank = (m: string) => {
    const i = metricOrder.indexOf(m);
    return i === -1 ? metricOrder.length : i;
  };
  return readings.sort((a, b) => rank(a.metric) - rank(b.metric) || a.metric.localeCompare(b.metric));
}
