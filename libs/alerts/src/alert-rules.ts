import type { AlertChange, Severity, ThresholdLevel, ThresholdSpec } from '@cityops/contracts';
import { SEVERITIES } from '@cityops/contracts';

/**
 * The alert of one (indicator, area) key between two evaluations. `none` is "normal": no alert
 * row is open for the key. Times are the evaluation times that caused them (`now`), not the
 * values' times: a pending period or keep-firing-for is measured on the clock the evaluator reads.
 */
export type AlertPhase =
  | { state: 'none' }
  | { state: 'pending'; level: Severity; since: Date }
  | {
      state: 'firing';
      level: Severity;
      firedAt: Date;
      /** When the condition stopped holding while keep-firing-for holds the alert open; null while it holds. */
      conditionLostAt: Date | null;
      /** Time of the last value before data stopped (policy `stale`); null while data arrives. */
      staleSince: Date | null;
    };

/** The newest value known for the key: `value` null means the source said "no value" at `ts`. */
export interface AlertSample {
  value: number | null;
  ts: Date;
}

export interface AlertStep {
  phase: AlertPhase;
  /**
   * What happened, in order (e.g. `fresh` then `escalated`). Empty when nothing but the value
   * moved: the caller decides whether a new value is worth an `updated`. `lapsed` and `resolved`
   * end the alert (the next phase is `none`).
   */
  changes: AlertChange[];
}

const NONE: AlertPhase = { state: 'none' };

export function severityRank(level: Severity): number {
  return SEVERITIES.indexOf(level);
}

/** `value <op> threshold`: the level's condition holds. */
export function conditionHolds(l: Pick<ThresholdLevel, 'op' | 'value'>, value: number): boolean {
  switch (l.op) {
    case '>=':
      return value >= l.value;
    case '>':
      return value > l.value;
    case '<=':
      return value <= l.value;
    case '<':
      return value < l.value;
  }
}

/** The value has passed the level's `clear` on the safe side: a level held by hysteresis lets go. */
function cleared(l: ThresholdLevel, value: number): boolean {
  const clear = l.clear ?? l.value;
  return l.op === '>=' || l.op === '>' ? value < clear : value > clear;
}

/**
 * The level a value puts the key at, given the level it is at now. A level whose condition holds
 * applies; so does the current level, or a lower one, until the value passes that level's `clear`
 * (hysteresis): a load hovering around 0.8 neither opens and closes, nor drops and climbs.
 */
export function heldLevel(spec: Pick<ThresholdSpec, 'levels'>, value: number, current: Severity | null): Severity | null {
  const highestFirst = [...spec.levels].sort((a, b) => severityRank(b.level) - severityRank(a.level));
  for (const l of highestFirst) {
    if (conditionHolds(l, value)) return l.level;
    if (current !== null && severityRank(l.level) <= severityRank(current) && !cleared(l, value)) return l.level;
  }
  return null;
}

export function thresholdOf(spec: Pick<ThresholdSpec, 'levels'>, level: Severity): ThresholdLevel {
  const found = spec.levels.find((l) => l.level === level);
  // A level no longer in the spec (its definition changed under an open alert): the nearest one below, else the lowest.
  if (found) return found;
  const below = spec.levels.filter((l) => severityRank(l.level) < severityRank(level));
  return below.at(-1) ?? spec.levels[0];
}

/** Whether the key has no data at `now`: an explicit null, or a newest value older than `noData.afterSeconds`. */
export function hasNoData(sample: AlertSample, spec: Pick<ThresholdSpec, 'noData'>, now: Date): boolean {
  if (sample.value === null) return true;
  return spec.noData !== undefined && now.getTime() - sample.ts.getTime() > spec.noData.afterSeconds * 1000;
}

function levelChange(from: Severity, to: Severity): AlertChange[] {
  if (from === to) return [];
  return [severityRank(to) > severityRank(from) ? 'escalated' : 'deescalated'];
}

/**
 * The next phase of a key and what changed, from its phase, its newest sample, the thresholds and
 * the time. Pure: the same input always answers the same, so time passing is simply another call
 * with the same sample and a later `now` (that is how a pending alert fires and keep-firing ends
 * without a new value).
 *
 * No data (see `hasNoData`): `keep` (and no policy) changes nothing; `stale` marks a firing alert
 * stale, `resolve` resolves it; both let a pending alert lapse, since its condition can no longer be
 * confirmed. No data never opens an alert.
 */
export function nextAlertPhase(phase: AlertPhase, sample: AlertSample, spec: ThresholdSpec, now: Date): AlertStep {
  if (hasNoData(sample, spec, now)) return noDataStep(phase, sample, spec);
  const value = sample.value as number;
  const changes: AlertChange[] = [];
  if (phase.state === 'firing' && phase.staleSince !== null) {
    changes.push('fresh');
    phase = { ...phase, staleSince: null };
  }
  const current = phase.state === 'none' ? null : phase.level;
  const level = heldLevel(spec, value, current);
  switch (phase.state) {
    case 'none':
      if (level === null) return { phase, changes };
      if (spec.pendingSeconds === 0) return { phase: fired(level, now), changes: ['fired'] };
      return { phase: { state: 'pending', level, since: now }, changes: ['pending'] };
    case 'pending': {
      if (level === null) return { phase: NONE, changes: ['lapsed'] };
      changes.push(...levelChange(phase.level, level));
      if (now.getTime() - phase.since.getTime() >= spec.pendingSeconds * 1000)
        return { phase: fired(level, now), changes: [...changes, 'fired'] };
      return { phase: { ...phase, level }, changes };
    }
    case 'firing': {
      if (level !== null) {
        changes.push(...levelChange(phase.level, level));
        return { phase: { ...phase, level, conditionLostAt: null }, changes };
      }
      const lostAt = phase.conditionLostAt ?? now;
      if (now.getTime() - lostAt.getTime() >= spec.keepFiringSeconds * 1000) return { phase: NONE, changes: [...changes, 'resolved'] };
      return { phase: { ...phase, conditionLostAt: lostAt }, changes };
    }
  }
}

function fired(level: Severity, now: Date): AlertPhase {
  return { state: 'firing', level, firedAt: now, conditionLostAt: null, staleSince: null };
}

function noDataStep(phase: AlertPhase, sample: AlertSample, spec: ThresholdSpec): AlertStep {
  const policy = spec.noData?.policy ?? 'keep';
  if (phase.state === 'none' || policy === 'keep') return { phase, changes: [] };
  if (phase.state === 'pending') return { phase: NONE, changes: ['lapsed'] };
  if (policy === 'resolve') return { phase: NONE, changes: ['resolved'] };
  if (phase.staleSince !== null) return { phase, changes: [] };
  return { phase: { ...phase, staleSince: sample.ts }, changes: ['stale'] };
}

/**
 * The next time at which `nextAlertPhase` would answer differently with the same sample: the end of
 * the pending period, of keep-firing-for, or the moment the sample turns into "no data". Null when
 * only a new value can change anything. The tick that re-evaluates keys without new data needs no
 * more than this; the preview uses it to play a series as the service would live through it.
 */
export function nextDeadline(phase: AlertPhase, sample: AlertSample, spec: ThresholdSpec): Date | null {
  const times: number[] = [];
  if (phase.state === 'pending') times.push(phase.since.getTime() + spec.pendingSeconds * 1000);
  if (phase.state === 'firing' && phase.conditionLostAt) times.push(phase.conditionLostAt.getTime() + spec.keepFiringSeconds * 1000);
  const noDataMatters = spec.noData && spec.noData.policy !== 'keep' && phase.state !== 'none';
  const alreadyStale = phase.state === 'firing' && phase.staleSince !== null;
  if (noDataMatters && !alreadyStale && sample.value !== null) times.push(sample.ts.getTime() + spec.noData!.afterSeconds * 1000 + 1);
  return times.length ? new Date(Math.min(...times)) : null;
}

/** One evaluation of a played series: the sample evaluated at `now`, the phase before and the step it made. */
export interface PlayedStep {
  now: Date;
  sample: AlertSample;
  before: AlertPhase;
  step: AlertStep;
}

/**
 * A series of one area's values played through `nextAlertPhase` as the service would live
 * through it: in time order, and between two values time passes as it does live (pending periods
 * end, keep-firing runs out, data goes missing), up to `until` (default: the last value's time).
 * Yields every evaluation, with or without a change; the preview and the derivation of alerts
 * from stored history read what they need from the same playback.
 */
export function* playAlerts(
  series: readonly { ts: string | Date; value: number | null }[],
  spec: ThresholdSpec,
  until?: Date,
): Generator<PlayedStep> {
  const samples = series
    .map((s) => ({ ts: new Date(s.ts), value: s.value }))
    .filter((s) => !Number.isNaN(s.ts.getTime()))
    .sort((a, b) => a.ts.getTime() - b.ts.getTime());
  let phase: AlertPhase = NONE;
  let last: AlertSample | null = null;
  const apply = (sample: AlertSample, now: Date): PlayedStep => {
    const before = phase;
    const step = nextAlertPhase(phase, sample, spec, now);
    phase = step.phase;
    return { now, sample, before, step };
  };
  /** The deadlines of the last sample that fall before `end`, each lived through. */
  function* passTime(end: Date): Generator<PlayedStep> {
    // Each deadline moves the phase on; a few suffice (pending → firing → keep-firing end → no data).
    for (let i = 0; i < 8 && last; i++) {
      const due = nextDeadline(phase, last, spec);
      if (!due || due.getTime() >= end.getTime()) return;
      yield apply(last, due);
    }
  }
  for (const s of samples) {
    yield* passTime(s.ts);
    // A null sample keeps the time of the last value: "no data since then".
    const sample: AlertSample = s.value === null ? { value: null, ts: last?.ts ?? s.ts } : s;
    yield apply(sample, s.ts);
    if (s.value !== null) last = s;
  }
  const end = until ?? last?.ts;
  if (end) yield* passTime(new Date(end.getTime() + 1));
}

export interface SimulatedAlert {
  level: Severity;
  /** ISO times; `to` null: still firing at the end of the series. */
  from: string;
  to: string | null;
}

/**
 * How a series of one area's values would have alerted (`playAlerts`): one entry per stretch of a
 * fired alert at one level (a level change inside an alert ends one entry where the next begins;
 * pending periods that never fired leave nothing, as on the wall).
 */
export function simulateAlerts(
  series: readonly { ts: string | Date; value: number | null }[],
  spec: ThresholdSpec,
  until?: Date,
): SimulatedAlert[] {
  const out: SimulatedAlert[] = [];
  for (const { now, before, step } of playAlerts(series, spec, until)) {
    const wasFiring = before.state === 'firing' ? before.level : null;
    const isFiring = step.phase.state === 'firing' ? step.phase.level : null;
    if (wasFiring === isFiring) continue;
    const open = out.at(-1);
    if (wasFiring !== null && open && open.to === null) open.to = now.toISOString();
    if (isFiring !== null) out.push({ level: isFiring, from: now.toISOString(), to: null });
  }
  return out;
}
