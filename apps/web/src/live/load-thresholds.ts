import type { ThresholdSpec } from '@cityops/contracts';

/** The two bands the wall colours a load by: the warning and critical levels' values, and warning's clear. */
export interface LoadThresholds {
  warning: number;
  critical: number;
  clear: number;
}

/** Used until the server sends thresholds with the values. */
export const DEFAULT_THRESHOLDS: LoadThresholds = { warning: 0.8, critical: 1.0, clear: 0.75 };

/** The bands of an indicator's threshold spec; the defaults where it has no warning or critical level. */
export function loadThresholdsOf(spec: ThresholdSpec | null): LoadThresholds {
  const warning = spec?.levels.find((l) => l.level === 'warning');
  const critical = spec?.levels.find((l) => l.level === 'critical');
  return {
    warning: warning?.value ?? DEFAULT_THRESHOLDS.warning,
    critical: critical?.value ?? DEFAULT_THRESHOLDS.critical,
    clear: warning?.clear ?? warning?.value ?? DEFAULT_THRESHOLDS.clear,
  };
}
