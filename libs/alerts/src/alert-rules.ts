import type { AlertLevel, ThresholdSpec } from '@cityops/contracts';

/** The two rising levels this rule knows, read from an indicator's threshold spec. */
export interface IndicatorThresholds {
  warning: number;
  critical: number;
  clear: number;
}

/**
 * The warning and critical levels' values and the warning level's clear (a spec without one of
 * them alerts at the level it has). Other levels, operators, pending and no-data are not read yet.
 */
export function warningAndCritical(t: ThresholdSpec): IndicatorThresholds {
  const warning = t.levels.find((l) => l.level === 'warning') ?? t.levels.find((l) => l.level === 'critical') ?? t.levels[0];
  const critical = t.levels.find((l) => l.level === 'critical') ?? warning;
  return { warning: warning.value, critical: critical.value, clear: warning.clear ?? warning.value };
}

export type AlertDecision =
  | { action: 'none' }
  | { action: 'open'; level: AlertLevel }
  | { action: 'escalate'; level: AlertLevel }
  | { action: 'deescalate'; level: AlertLevel }
  | { action: 'update' }
  | { action: 'resolve' };

/**
 * What a new value does to an area's alert. Opening needs the warning threshold; once open, the
 * alert stays (at least as a warning) until the value falls under `clear`, so a load hovering
 * around 0.8 does not flap the wall screen.
 */
export function decideAlert(current: AlertLevel | null, value: number, t: IndicatorThresholds): AlertDecision {
  if (current === null) {
    if (value >= t.critical) return { action: 'open', level: 'critical' };
    if (value >= t.warning) return { action: 'open', level: 'warning' };
    return { action: 'none' };
  }
  if (value < t.clear) return { action: 'resolve' };
  const target: AlertLevel = value >= t.critical ? 'critical' : 'warning';
  if (target === current) return { action: 'update' };
  return target === 'critical' ? { action: 'escalate', level: target } : { action: 'deescalate', level: target };
}

export function thresholdFor(level: AlertLevel, t: IndicatorThresholds): number {
  return level === 'critical' ? t.critical : t.warning;
}
