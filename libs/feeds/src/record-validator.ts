import {
  findUnstorable,
  ingestRecordSchema,
  MAX_JSON_DEPTH,
  pathText,
  unstorableTextReason,
  unstorableTimeReason,
  type FeedDefinition,
  type IngestRecord,
} from '@cityops/contracts';
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

const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text PostgreSQL can store: a NUL or a lone surrogate becomes U+FFFD. */
export function storableText(text: string): string {
  return unstorableTextReason(text) === null ? text : text.replaceAll('\u0000', '\ufffd').replace(LONE_SURROGATES, '\ufffd');
}

/** The key of a kept record that had to be altered to be kept (see `storableRaw`). */
export const ALTERED_RAW_KEY = 'cityops:altered';

/**
 * A rejected record as it can be kept (`jsonb`). Most are kept as they came. One holding what
 * PostgreSQL cannot store is kept as `{"cityops:altered": why, "record": copy}`, the copy with
 * U+FFFD for NULs and lone surrogates and anything nested deeper than MAX_JSON_DEPTH cut off with a
 * note: shown for what it is, and never replayed as if it were what the sender sent. The copy is
 * made with its own stack, never by recursion.
 */
export function storableRaw(raw: unknown): unknown {
  const found = findUnstorable(raw);
  if (found === null) return raw;
  const root: { value?: unknown } = {};
  const stack: { value: unknown; depth: number; put: (v: unknown) => void }[] = [{ value: raw, depth: 0, put: (v) => (root.value = v) }];
  while (stack.length > 0) {
    const { value, depth, put } = stack.pop()!;
    if (typeof value === 'string') put(storableText(value));
    else if (typeof value === 'number' && !Number.isFinite(value)) put(String(value));
    else if (typeof value !== 'object' || value === null) put(value);
    // MAX_JSON_DEPTH - 1: the wrapper adds a level, and what is kept stays within the limit too.
    else if (depth >= MAX_JSON_DEPTH - 1) put(`… (nested deeper than ${MAX_JSON_DEPTH} levels, not kept)`);
    else if (Array.isArray(value)) {
      const copy: unknown[] = new Array<unknown>(value.length).fill(null);
      put(copy);
      value.forEach((item: unknown, i) => stack.push({ value: item, depth: depth + 1, put: (v) => (copy[i] = v) }));
    } else {
      const copy: Record<string, unknown> = {};
      put(copy);
      for (const [key, item] of Object.entries(value)) {
        const k = storableText(key);
        copy[k] = null; // keys keep their order; the values are filled in as the stack unwinds
        stack.push({ value: item, depth: depth + 1, put: (v) => (copy[k] = v) });
      }
    }
  }
  return { [ALTERED_RAW_KEY]: `${storableText(pathText(found.path, 4))}: ${found.message}`, record: root.value };
}

/** Why a kept record was altered to be kept, or null for one kept as it came. */
export function alteredRawReason(kept: unknown): string | null {
  if (typeof kept !== 'object' || kept === null || Array.isArray(kept)) return null;
  const reason = (kept as Record<string, unknown>)[ALTERED_RAW_KEY];
  return typeof reason === 'string' ? reason : null;
}

/** Why the record holds something PostgreSQL cannot store, named by the record's field. */
export function unstorableReason(raw: unknown, what: string): string | null {
  const found = findUnstorable(raw, MAX_JSON_DEPTH);
  if (!found) return null;
  const field = typeof found.path[0] === 'string' ? found.path[0] : what;
  return `${storableText(field).slice(0, 100)}: ${found.message}`;
}

/** Checks one record against the shared shape and the feed's own rules; explains any failure. */
export function validateRecord(raw: unknown, ctx: ValidationContext): RecordVerdict {
  const unstorable = unstorableReason(raw, 'record');
  if (unstorable) return { ok: false, reason: unstorable };
  const parsed = ingestRecordSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: issuesText(parsed.error.issues) };
  // zod rebuilds a record's top level by assignment, which turns a `__proto__` key of props into
  // the object's prototype and drops it; the sender's own props (checked above) are what is stored.
  // (The parsed record is zod's new object: set in place rather than copied, once per record.)
  const record = parsed.data;
  if (record.props !== undefined) record.props = ownProps(raw, record.props);
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
  const timeProblem = unstorableTimeReason(record.ts);
  if (timeProblem) return { ok: false, reason: `ts: ${timeProblem}` };
  if (Date.parse(record.ts) > ctx.now + MAX_FUTURE_SKEW_MS) {
    return { ok: false, reason: `ts: ${record.ts} is more than 5 minutes in the future` };
  }
  const position = positionOf(record);
  if (position && !insideBounds(position, ctx.bounds)) {
    return { ok: false, reason: `location: [${position.join(', ')}] is outside the city bounds [${ctx.bounds.join(', ')}]` };
  }
  return { ok: true, record };
}

/** The `props` object as it was sent, when the parsed one came from it. */
export function ownProps<T>(raw: unknown, parsed: T): T {
  const sent = typeof raw === 'object' && raw !== null ? (raw as { props?: unknown }).props : undefined;
  return parsed !== undefined && typeof sent === 'object' && sent !== null ? (sent as T) : parsed;
}

export function insideBounds([lon, lat]: [number, number], [w, s, e, n]: [number, number, number, number]): boolean {
  return lon >= w && lon <= e && lat >= s && lat <= n;
}

export function positionOf(record: IngestRecord): [number, number] | null {
  if (!record.location) return null;
  return Array.isArray(record.location) ? record.location : record.location.coordinates;
}
