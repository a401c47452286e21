import { ingestRecordSchema, type FeedDefinition, type IngestRecord } from '@cityops/contracts';
import { issuesText } from '@cityops/core';

/** How far in the future a record's time may lie (clock skew between systems). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

export type RecordVerdict = { ok: true; record: IngestRecord } | { ok: false; reason: string };

export interface ValidationContext {
  feed: FeedDefinition;
  now: number;
  /** [minLon, minLat, maxLon, maxLat]: the city; anything located outside is a sender's mistake. */
  bounds: [number, number, number, number];
}

// An escaped NUL after an even number of backslashes (an odd number would make it literal text).
const ESCAPED_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;

/** Whether any string in the value (keys included) holds U+0000; a walk, no serialisation. */
export function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) if (k.includes('\u0000') || hasNul(v)) return true;
  }
  return false;
}

/** PostgreSQL text and jsonb cannot hold U+0000; a kept raw record gets U+FFFD in its place. */
export function storableRaw(raw: unknown): unknown {
  if (!hasNul(raw)) return raw;
  const json = JSON.stringify(raw);
  if (json === undefined || !json.includes('\\u0000')) return raw;
  const replaced = json.replace(ESCAPED_NUL, '$1\\ufffd');
  return replaced === json ? raw : JSON.parse(replaced);
}

/** Checks one record against the shared shape and the feed's own rules; explains any failure. */
export function validateRecord(raw: unknown, ctx: ValidationContext): RecordVerdict {
  if (hasNul(raw)) return { ok: false, reason: 'record: contains a NUL character (U+0000), which cannot be stored' };
  const parsed = ingestRecordSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: issuesText(parsed.error.issues) };
  const record = parsed.data;
  const { feed } = ctx;
  const metric = feed.metrics.find((m) => m.key === record.metric);
  if (!metric) {
    return {
      ok: false,
      reason: `metric: unknown metric "${record.metric}" for feed ${feed.key} (known: ${feed.metrics.map((m) => m.key).join(', ') || 'none'})`,
    };
  }
  if (metric.min !== undefined && record.value < metric.min) {
    return { ok: false, reason: `value: ${record.value} is below the minimum ${metric.min} of ${metric.key}` };
  }
  if (metric.max !== undefined && record.value > metric.max) {
    return { ok: false, reason: `value: ${record.value} is above the maximum ${metric.max} of ${metric.key}` };
  }
  if (Date.parse(record.ts) > ctx.now + MAX_FUTURE_SKEW_MS) {
    return { ok: false, reason: `ts: ${record.ts} is more than 5 minutes in the future` };
  }
  const position = positionOf(record);
  if (position && !insideBounds(position, ctx.bounds)) {
    return { ok: false, reason: `location: [${position.join(', ')}] is outside the city bounds [${ctx.bounds.join(', ')}]` };
  }
  return { ok: true, record };
}

export function insideBounds([lon, lat]: [number, number], [w, s, e, n]: [number, number, number, number]): boolean {
  return lon >= w && lon <= e && lat >= s && lat <= n;
}

export function positionOf(record: IngestRecord): [number, number] | null {
  if (!record.location) return null;
  return Array.isArray(record.location) ? record.location : record.location.coordinates;
}
