import { z } from 'zod';

/**
 * What PostgreSQL can store, checked before it is asked to. JSON lets a client send values that
 * `text`, `jsonb` and `timestamptz` refuse (a refusal fails the whole statement, and with it every
 * good value beside the bad one), and values our own code must not walk recursively. These checks
 * say which value is at fault, so a request gets a 400 and an ingest record its own reason.
 */

/** Containers nested deeper than this are refused: real records and bodies stay under ten levels. */
export const MAX_JSON_DEPTH = 64;

/** PostgreSQL `integer` (int4): ids of areas and the other serial columns. */
export const MAX_INT4 = 2_147_483_647;

export interface UnstorableValue {
  /** Where in the value: keys and array indexes from its root. */
  path: (string | number)[];
  message: string;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one (UTF-16 code units).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Either of the two: one test per string on the common path, where there is neither.
const SUSPECT = /[\u0000\uD800-\uDFFF]/; // eslint-disable-line no-control-regex -- NUL is exactly what it looks for

function codePoint(unit: string): string {
  return `U+${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why a string cannot be stored as `text` or inside `jsonb`, or null when it can. */
export function unstorableTextReason(text: string): string | null {
  if (!SUSPECT.test(text)) return null;
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000), which cannot be stored';
  const lone = LONE_SURROGATE.exec(text);
  if (lone) return `contains a lone surrogate (${codePoint(lone[0])}), which cannot be stored`;
  return null;
}

/** Why this one value (not its children) cannot be stored, or null. */
function ownProblem(value: unknown): string | null {
  if (typeof value === 'string') return unstorableTextReason(value);
  // JSON.parse reads 1e400 as Infinity, which JSON.stringify then writes as null: refused rather than changed.
  if (typeof value === 'number' && !Number.isFinite(value)) return 'a number beyond ±1.8e308';
  return null;
}

/**
 * The first string (key or value) that cannot be stored, number that JSON cannot carry, or
 * container nested deeper than `maxDepth` (the root is depth 0). Walks with its own stack, so a
 * value nested 20,000 deep (JSON.parse accepts it) is answered, not a stack overflow. Every record
 * of every feed passes through here: the walk keeps only values and depths, and the path to a
 * problem is worked out only once there is one.
 */
export function findUnstorable(value: unknown, maxDepth = MAX_JSON_DEPTH): UnstorableValue | null {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const current = values.pop();
    const depth = depths.pop()!;
    if (typeof current !== 'object' || current === null) {
      if (ownProblem(current) !== null) return locate(value, maxDepth);
      continue;
    }
    if (depth >= maxDepth) return locate(value, maxDepth);
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) {
        values.push(current[i]);
        depths.push(depth + 1);
      }
      continue;
    }
    for (const key in current) {
      if (!Object.hasOwn(current, key)) continue;
      if (unstorableTextReason(key) !== null) return locate(value, maxDepth);
      values.push((current as Record<string, unknown>)[key]);
      depths.push(depth + 1);
    }
  }
  return null;
}

interface WalkNode {
  value: unknown;
  depth: number;
  parent: WalkNode | null;
  key: string | number | null;
}

function pathOf(node: WalkNode): (string | number)[] {
  const path: (string | number)[] = [];
  for (let n: WalkNode | null = node; n && n.key !== null; n = n.parent) path.push(n.key);
  return path.reverse();
}

/** The slow walk, with paths, once `findUnstorable` knows there is a problem: the first one in document order. */
function locate(root: unknown, maxDepth: number): UnstorableValue | null {
  const stack: WalkNode[] = [{ value: root, depth: 0, parent: null, key: null }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const current = node.value;
    if (typeof current !== 'object' || current === null) {
      const reason = ownProblem(current);
      if (reason) return { path: pathOf(node), message: reason };
      continue;
    }
    if (node.depth >= maxDepth) return { path: pathOf(node), message: `nested deeper than ${maxDepth} levels` };
    const depth = node.depth + 1;
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i] as unknown, depth, parent: node, key: i });
      continue;
    }
    const keys = Object.keys(current);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const child: WalkNode = { value: (current as Record<string, unknown>)[key], depth, parent: node, key };
      const reason = unstorableTextReason(key);
      if (reason) return { path: pathOf(child), message: `key ${reason}` };
      stack.push(child);
    }
  }
  return null;
}

/** `a.b.3.c` for a path, at most `segments` long (a path 64 deep says nothing more useful). */
export function pathText(path: (string | number)[], segments = 8): string {
  if (path.length === 0) return '(root)';
  const shown = path.slice(0, segments).join('.');
  return path.length > segments ? `${shown}…` : shown;
}

const OFFSET = /(?:([+-])(\d{2}):?(\d{2})|[zZ])$/;
/** timestamptz holds offsets up to 15:59 either way (`time zone displacement out of range` past it). */
const MAX_OFFSET_MINUTES = 15 * 60 + 59;
/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the times an ISO 8601 answer can write back as it was read. */
const EARLIEST_MS = Date.parse('0001-01-01T00:00:00Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * Why an ISO 8601 time (already known to have the shape, with a zone) cannot be stored as
 * `timestamptz` and read back the same way, or null when it can.
 */
export function unstorableTimeReason(text: string): string | null {
  if (text.startsWith('0000')) return 'year 0000 cannot be stored';
  const offset = OFFSET.exec(text);
  if (offset?.[1]) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3]);
    if (minutes > MAX_OFFSET_MINUTES) return `offset ${offset[1]}${offset[2]}:${offset[3]} cannot be stored (at most ±15:59)`;
  }
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) return 'not a time that exists';
  if (ms < EARLIEST_MS) return 'falls before the year 1 in UTC';
  if (ms > LATEST_MS) return 'falls after the year 9999 in UTC';
  return null;
}

/** An ISO 8601 time with a zone that PostgreSQL can store (`2026-05-01T08:00:00+08:00`). */
export const storableTimestampSchema = z.iso
  .datetime({ offset: true })
  .superRefine((text, ctx) => {
    const reason = unstorableTimeReason(text);
    if (reason) ctx.addIssue({ code: 'custom', message: reason });
  })
  .meta({ description: 'ISO 8601 with a zone (`Z` or `+08:00`, at most ±15:59), years 0001 to 9999.' });

/** A path or query id of a PostgreSQL `integer` column: larger numbers name nothing and are refused. */
export const databaseIdSchema = z.coerce.number().int().min(1).max(MAX_INT4);
