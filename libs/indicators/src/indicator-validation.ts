import { INDICATOR_GROUPING_LEVELS, SEVERITIES, type IndicatorWrite, type ThresholdOperator, type ThresholdSpec } from '@cityops/contracts';
import type { ProblemError } from '@cityops/core';
import { FormulaError, formulaReferences, parseFormula } from './formula';

/** What a definition is checked against: the catalog as it stands. */
export interface DefinitionContext {
  /** Feed key → its metric keys. */
  feeds: ReadonlyMap<string, readonly string[]>;
  zoneSets: ReadonlySet<string>;
  /** Every stored indicator (key → the indicators it reads), the one being written included or not. */
  indicators: ReadonlyMap<string, readonly string[]>;
}

const rising = (op: ThresholdOperator) => op === '>=' || op === '>';

/**
 * Paths follow the API's other validation errors (`thresholds.levels.1.value`, as zod reports them).
 *
 * The rules between threshold fields: levels distinct and in severity order, operators all one
 * direction, each level's value beyond the one before it, and `clear` on the safe side of its value.
 */
export function validateThresholds(spec: ThresholdSpec, prefix = 'thresholds'): ProblemError[] {
  const errors: ProblemError[] = [];
  const at = (i: number, field: string) => `${prefix}.levels.${i}.${field}`;
  const seen = new Set<string>();
  spec.levels.forEach((l, i) => {
    if (seen.has(l.level)) errors.push({ path: at(i, 'level'), message: `level ${l.level} is given twice` });
    seen.add(l.level);
  });
  for (let i = 1; i < spec.levels.length; i++) {
    const before = spec.levels[i - 1];
    const here = spec.levels[i];
    if (before.level !== here.level && SEVERITIES.indexOf(here.level) < SEVERITIES.indexOf(before.level)) {
      errors.push({
        path: at(i, 'level'),
        message: `levels go from least to most severe (${SEVERITIES.join(' < ')}): ${here.level} comes before ${before.level}`,
      });
    }
  }
  const first = spec.levels[0];
  const up = rising(first.op);
  spec.levels.forEach((l, i) => {
    if (rising(l.op) !== up) {
      errors.push({
        path: at(i, 'op'),
        message: `every level points the same way: ${first.level} uses ${first.op}, so use ${up ? '>= or >' : '<= or <'} here too`,
      });
    }
  });
  if (errors.length) return errors;
  for (let i = 1; i < spec.levels.length; i++) {
    const before = spec.levels[i - 1];
    const here = spec.levels[i];
    const beyond = up ? here.value > before.value : here.value < before.value;
    if (!beyond) {
      errors.push({
        path: at(i, 'value'),
        message: `${here.level} (${here.value}) must be ${up ? 'above' : 'below'} ${before.level} (${before.value}): thresholds out of order`,
      });
    }
  }
  spec.levels.forEach((l, i) => {
    if (l.clear === undefined) return;
    const safe = up ? l.clear <= l.value : l.clear >= l.value;
    if (!safe) {
      errors.push({
        path: at(i, 'clear'),
        message: `clear (${l.clear}) must be on the safe side of ${l.value}: ${up ? 'at or below' : 'at or above'} it`,
      });
    }
  });
  return errors;
}

/** The indicators a composite reads, or none (for an aggregate, or a formula that does not parse). */
export function readsOf(source: IndicatorWrite['source']): string[] {
  if (source.kind !== 'composite') return [];
  try {
    return formulaReferences(parseFormula(source.formula));
  } catch {
    return [];
  }
}

/** A chain of reads from `key` back to itself, if the new reads make one: `[a, b, c, a]`. */
function cycleThrough(key: string, reads: readonly string[], indicators: ReadonlyMap<string, readonly string[]>): string[] | null {
  const readsOfKey = (k: string) => (k === key ? reads : (indicators.get(k) ?? []));
  const done = new Set<string>();
  // Iterative depth-first search: a long chain of composites must not exhaust the stack.
  const stack: { key: string; next: number }[] = [{ key, next: 0 }];
  const onPath = new Set<string>([key]);
  while (stack.length) {
    const top = stack[stack.length - 1];
    const children = readsOfKey(top.key);
    if (top.next >= children.length) {
      stack.pop();
      onPath.delete(top.key);
      done.add(top.key);
      continue;
    }
    const child = children[top.next++];
    if (child === key) return [...stack.map((s) => s.key), key];
    if (onPath.has(child) || done.has(child)) continue;
    onPath.add(child);
    stack.push({ key: child, next: 0 });
  }
  return null;
}

/** Every problem of a definition against the catalog, each naming its field. Empty: it may be saved. */
export function validateDefinition(def: IndicatorWrite, context: DefinitionContext): ProblemError[] {
  const errors: ProblemError[] = [];
  const grouping = def.grouping;
  if ('levels' in grouping) {
    const seen = new Set<string>();
    grouping.levels.forEach((level, i) => {
      if (!(INDICATOR_GROUPING_LEVELS as readonly string[]).includes(level)) {
        errors.push({
          path: `grouping.levels.${i}`,
          message: `"${level}" is not a level an indicator can be grouped by (${INDICATOR_GROUPING_LEVELS.join(', ')}; event zones: use zoneSet)`,
        });
      } else if (seen.has(level)) {
        errors.push({ path: `grouping.levels.${i}`, message: `level ${level} is given twice` });
      }
      seen.add(level);
    });
  } else if (!context.zoneSets.has(grouping.zoneSet)) {
    errors.push({ path: 'grouping.zoneSet', message: `no zone set ${grouping.zoneSet} (GET /api/layers lists them)` });
  }

  const source = def.source;
  if (source.kind === 'aggregate') {
    const metrics = context.feeds.get(source.feed);
    if (!metrics) {
      errors.push({ path: 'source.feed', message: `no feed ${source.feed} (GET /api/feeds)` });
    } else if (!metrics.includes(source.metric)) {
      errors.push({
        path: 'source.metric',
        message: `feed ${source.feed} has no metric ${source.metric} (it has: ${metrics.join(', ') || 'none'})`,
      });
    }
  } else {
    try {
      const reads = formulaReferences(parseFormula(source.formula));
      const missing = reads.filter((k) => k !== def.key && !context.indicators.has(k));
      for (const k of missing) errors.push({ path: 'source.formula', message: `the formula reads {${k}}, which is not an indicator` });
      const cycle = cycleThrough(def.key, reads, context.indicators);
      if (cycle) errors.push({ path: 'source.formula', message: `the formula makes a cycle: ${cycle.join(' → ')}` });
    } catch (error) {
      if (!(error instanceof FormulaError)) throw error;
      errors.push({ path: 'source.formula', message: error.message });
    }
  }

  if (def.thresholds) errors.push(...validateThresholds(def.thresholds));
  return errors;
}
