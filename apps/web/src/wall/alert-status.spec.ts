import { describe, expect, it } from '@jest/globals';
import { QUIET_ALERT_FIELDS } from '../testing/alerts';
import { callsForBanner, durationMs, isActive, isRecent, levelOf, severityRank, type WallAlert } from './alert-status';

const NOW = Date.parse('2026-11-02T09:00:00+08:00');
const at = (minutesBeforeNow: number) => new Date(NOW - minutesBeforeNow * 60_000).toISOString();

function alert(patch: Partial<WallAlert> = {}): WallAlert {
  return {
    ...QUIET_ALERT_FIELDS,
    id: 'a1',
    indicatorKey: 'crowd.load',
    areaId: 1,
    areaCode: 'Z-1',
    areaName: 'zone 1',
    level: 'critical',
    state: 'firing',
    value: 1.1,
    threshold: 1,
    title: 'zone 1 · load',
    center: null,
    startedAt: at(12),
    firedAt: at(12),
    updatedAt: at(12),
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    ...patch,
  };
}

describe("reading an alert's status on the wall", () => {
  const scenarios: {
    name: string;
    alert: WallAlert;
    active: boolean;
    recent: boolean;
    banner: boolean;
    minutes: number;
  }[] = [
    { name: 'open critical, 12 minutes old', alert: alert(), active: true, recent: false, banner: true, minutes: 12 },
    {
      name: 'open critical, acknowledged',
      alert: alert({ acknowledgedAt: at(1), acknowledgedBy: 'op' }),
      active: true,
      recent: false,
      banner: false,
      minutes: 12,
    },
    { name: 'open warning', alert: alert({ level: 'warning' }), active: true, recent: false, banner: false, minutes: 12 },
    {
      name: 'resolved 3 s after it opened, a minute ago',
      alert: alert({ state: 'resolved', firedAt: at(1.05), resolvedAt: at(1) }),
      active: false,
      recent: true,
      banner: false,
      minutes: 0.05,
    },
    {
      name: 'resolved 59 minutes ago',
      alert: alert({ state: 'resolved', firedAt: at(70), resolvedAt: at(59) }),
      active: false,
      recent: true,
      banner: false,
      minutes: 11,
    },
    {
      name: 'resolved an hour ago',
      alert: alert({ state: 'resolved', firedAt: at(70), resolvedAt: at(60) }),
      active: false,
      recent: false,
      banner: false,
      minutes: 10,
    },
    // The next contract's states, read by the same module.
    {
      name: 'firing (next contract), fired 5 minutes after it began pending',
      alert: alert({ state: 'firing' as never, startedAt: at(12), firedAt: at(7) }),
      active: true,
      recent: false,
      banner: true,
      minutes: 7,
    },
    {
      name: 'pending (next contract)',
      alert: alert({ state: 'pending' as never, firedAt: null }),
      active: false,
      recent: false,
      banner: false,
      minutes: 12,
    },
    {
      name: 'lapsed pending (never fired)',
      alert: alert({ state: 'resolved', firedAt: null, resolvedAt: at(1) }),
      active: false,
      recent: false,
      banner: false,
      minutes: 11,
    },
    { name: 'silenced critical', alert: alert({ silencedBy: 's1' }), active: true, recent: false, banner: false, minutes: 12 },
  ];
  it.each(scenarios)('$name', ({ alert: a, active, recent, banner, minutes }) => {
    expect(isActive(a)).toBe(active);
    expect(isRecent(a, NOW)).toBe(recent);
    expect(callsForBanner(a)).toBe(banner);
    expect(durationMs(a, NOW)).toBe(Math.round(minutes * 60_000));
  });

  it('ranks notice below warning below critical, each styled as its own level', () => {
    expect(severityRank('notice')).toBeLessThan(severityRank('warning'));
    expect(severityRank('warning')).toBeLessThan(severityRank('critical'));
    expect(levelOf(alert({ level: 'notice' }))).toBe('notice');
    expect(levelOf(alert({ level: 'critical' }))).toBe('critical');
  });
});
