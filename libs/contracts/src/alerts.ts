export type AlertLevel = 'warning' | 'critical';
export type AlertState = 'open' | 'resolved';

export interface AlertView {
  id: string;
  indicatorKey: string;
  areaId: number;
  areaCode: string;
  areaName: string;
  level: AlertLevel;
  state: AlertState;
  /** Indicator value that last changed the alert. */
  value: number;
  /** Threshold crossed for the current level. */
  threshold: number;
  title: string;
  /** Centroid of the area, `[lon, lat]`, to fly the map there. */
  center: [number, number] | null;
  openedAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
}
