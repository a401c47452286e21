import type { AlertChange, Severity, ThresholdSpec } from '@cityops/contracts';
import { playAlerts, thresholdOf, type AlertSample, type AlertStep } from './alert-rules';
import type { AlertWrite, OpenAlertRow } from './alert.repository';

/** What an evaluation writes to a key's alert, but the indicator's theme (the service adds it). */
export type AlertOutcome = Omit<AlertWrite, 'theme'>;

export interface AlertEvaluation {
  outcome: AlertOutcome;
  /** Every change, `updated` included (a new value beside no named change). */
  changes: AlertChange[];
  /** The changes the alert's history keeps: all but `updated`. */
  named: AlertChange[];
}

/** What an evaluation needs of the key's open alert. */
export type OpenAlertState = Pick<OpenAlertRow, 'level' | 'value' | 'valueTs' | 'firedAt'>;

/**
 * What one step of the state machine does to the key's alert: the row to write and the changes
 * to tell. Null when there is no alert and none opens. The live evaluation and the derivation
 * from stored history both write through this, so a derived alert is the row the live round
 * would have left.
 */
export function evaluationOf(
  open: OpenAlertState | null,
  sample: AlertSample,
  step: AlertStep,
  spec: ThresholdSpec,
): AlertEvaluation | null {
  const next = step.phase;
  if (!open && next.state === 'none') return null;
  const level = next.state === 'none' ? (open as OpenAlertState).level : next.level;
  const threshold = thresholdOf(spec, level);
  const outcome: AlertOutcome = {
    state: next.state === 'none' ? 'resolved' : next.state,
    level,
    value: sample.value ?? (open as OpenAlertState).value,
    valueTs: sample.value === null && open ? open.valueTs : sample.ts,
    threshold: threshold.value,
    op: threshold.op,
    firedAt: next.state === 'firing' ? next.firedAt : (open?.firedAt ?? null),
    conditionLostAt: next.state === 'firing' ? next.conditionLostAt : null,
    staleSince: next.state === 'firing' ? next.staleSince : null,
  };
  const changes: AlertChange[] = [...step.changes];
  // Beside the named changes, only a new value is news (and the history keeps only the named ones).
  if (open && changes.length === 0 && open.value !== outcome.value) changes.push('updated');
  return { outcome, changes, named: changes.filter((c) => c !== 'updated') };
}

/** A history entry of a derived alert, at the instant it happened. */
export interface DerivedAlertEvent {
  at: Date;
  change: AlertChange;
  level: Severity;
  value: number;
}

/** An alert a stored series implies, as the live round would have stored it over that time. */
export interface DerivedAlert extends AlertOutcome {
  startedAt: Date;
  /** Null: still pending or firing at the end of the series. */
  resolvedAt: Date | null;
  /** The last change (a new value counts, as it does live). */
  updatedAt: Date;
  events: DerivedAlertEvent[];
}

/**
 * The alerts a series of one area's values implies, oldest first, played as the preview plays
 * it (`playAlerts`) and written as the live evaluation writes (`evaluationOf`): each with its
 * history entries at the instants they happened, pending periods that lapsed included (live
 * stores those too). The last one may still be open at `until`.
 */
export function deriveAlerts(
  series: readonly { ts: string | Date; value: number | null }[],
  spec: ThresholdSpec,
  until?: Date,
): DerivedAlert[] {
  const derived: DerivedAlert[] = [];
  let open: DerivedAlert | null = null;
  for (const { now, sample, step } of playAlerts(series, spec, until)) {
    const evaluation = evaluationOf(open, sample, step, spec);
    if (!evaluation) continue;
    const { outcome, changes, named } = evaluation;
    let alert: DerivedAlert;
    if (open) {
      alert = Object.assign(open, outcome);
      if (changes.length > 0) alert.updatedAt = now;
    } else {
      alert = { ...outcome, startedAt: now, resolvedAt: null, updatedAt: now, events: [] };
      derived.push(alert);
    }
    alert.events.push(...named.map((change) => ({ at: now, change, level: outcome.level, value: outcome.value })));
    if (outcome.state === 'resolved') alert.resolvedAt = now;
    open = outcome.state === 'resolved' ? null : alert;
  }
  return derived;
}
