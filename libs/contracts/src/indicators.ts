export interface IndicatorValueView {
  areaId: number;
  areaCode: string;
  areaName: string;
  /** Position along an ordered zone set (course order), null for ordinary areas. */
  seq: number | null;
  value: number;
  /** For ratio indicators: the measured quantity (e.g. headcount). */
  numerator: number | null;
  /** For ratio indicators: the reference (e.g. capacity). */
  denominator: number | null;
  /** Time of the observation the value was computed from. */
  ts: string;
}

/** Latest value per area of one indicator: the REST snapshot and the socket delta share this shape. */
export interface IndicatorValuesEvent {
  indicatorKey: string;
  computedAt: string;
  thresholds: IndicatorThresholds | null;
  values: IndicatorValueView[];
}

export interface IndicatorThresholds {
  warning: number;
  critical: number;
  /** An open alert resolves only below this value (hysteresis). */
  clear: number;
}

export interface IndicatorSummaryPoint {
  /** Start of the time bucket. */
  ts: string;
  areas: number;
  sumNumerator: number;
  atOrAboveWarning: number;
  atOrAboveCritical: number;
  maxValue: number;
}
