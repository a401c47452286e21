import { randomUUID } from 'node:crypto';
import type { AlertChangedEvent, AlertView } from '@cityops/contracts';

/**
 * An `alert.changed` event as AlertService publishes it, for the webhook tests. The one place
 * that spells out AlertView: when the alert contract gains fields, only this changes.
 */
export function alertChangedEvent(change: AlertChangedEvent['change'], alert: Partial<AlertView> = {}): AlertChangedEvent {
  const at = alert.updatedAt ?? new Date('2026-11-29T08:30:00.000Z').toISOString();
  return {
    change,
    alert: {
      id: randomUUID(),
      indicatorKey: 'traffic.congestion',
      indicatorName: '拥堵指数',
      indicatorNameEn: 'Congestion index',
      theme: 'traffic',
      unit: null,
      format: { decimals: 2, percent: false },
      areaId: 44010401,
      areaCode: '440104001',
      areaName: '北京街道',
      center: [113.27, 23.13],
      title: '北京街道 · 拥堵指数',
      level: 'critical',
      state: 'firing',
      stale: false,
      staleSince: null,
      value: 0.93,
      threshold: 0.9,
      op: '>=',
      startedAt: at,
      firedAt: at,
      resolvedAt: null,
      resolvedBy: null,
      resolveReason: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      ackComment: null,
      silencedBy: null,
      escalatedAt: null,
      escalatedTo: null,
      updatedAt: at,
      ...alert,
    },
  };
}
