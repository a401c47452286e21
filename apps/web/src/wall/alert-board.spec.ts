import { describe, expect, it } from '@jest/globals';
import { QUIET_ALERT_FIELDS } from '../testing/alerts';
import { bannerStory, countAlerts, groupAlerts, zonesInAlert } from './alert-board';
import type { WallAlert } from './alert-status';

let seq = 0;
function alert(patch: Partial<WallAlert> & { areaId: number }): WallAlert {
  seq += 1;
  const minute = String(seq % 60).padStart(2, '0');
  return {
    ...QUIET_ALERT_FIELDS,
    id: `a${seq}`,
    indicatorKey: 'air.aqi',
    areaCode: `A-${patch.areaId}`,
    areaName: `area ${patch.areaId}`,
    level: 'warning',
    state: 'firing',
    value: 160,
    threshold: 150,
    title: `area ${patch.areaId} · AQI`,
    center: null,
    startedAt: `2026-11-02T08:${minute}:00+08:00`,
    firedAt: `2026-11-02T08:${minute}:00+08:00`,
    updatedAt: `2026-11-02T08:${minute}:00+08:00`,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    ...patch,
  };
}

/** `n` alerts spread over `areas` areas and `indicators` indicators, every fifth critical. */
function burst(n: number, areas: number, indicators: number): WallAlert[] {
  return Array.from({ length: n }, (_, i) =>
    alert({ areaId: (i % areas) + 1, indicatorKey: `ind.${i % indicators}`, level: i % 5 === 0 ? 'critical' : 'warning' }),
  );
}

describe('grouping the alert list', () => {
  const scenarios: { name: string; alerts: WallAlert[]; maxRows: number; kind: string; rows: number }[] = [
    { name: 'a few alerts stay one row each', alerts: burst(4, 4, 1), maxRows: 6, kind: 'alert', rows: 4 },
    { name: 'exactly as many as fit stay one row each', alerts: burst(6, 6, 2), maxRows: 6, kind: 'alert', rows: 6 },
    { name: '50 alerts over 5 areas become 5 area rows', alerts: burst(50, 5, 10), maxRows: 6, kind: 'area', rows: 5 },
    {
      name: '50 alerts over 25 areas of 3 indicators become 3 indicator rows',
      alerts: burst(50, 25, 3),
      maxRows: 6,
      kind: 'indicator',
      rows: 3,
    },
    {
      name: '50 alerts over 50 areas and 50 indicators stay grouped by area (the list shows the first rows)',
      alerts: burst(50, 50, 50),
      maxRows: 6,
      kind: 'area',
      rows: 50,
    },
  ];
  it.each(scenarios)('$name', ({ alerts, maxRows, kind, rows }) => {
    const groups = groupAlerts(alerts, maxRows);
    expect(groups).toHaveLength(rows);
    expect(new Set(groups.map((g) => g.kind))).toEqual(new Set([kind]));
    // Every alert is in exactly one row, and the counts add up.
    expect(groups.flatMap((g) => g.alerts.map((a) => a.id)).sort()).toEqual(alerts.map((a) => a.id).sort());
    for (const g of groups) expect(g.counts.critical + g.counts.warning + g.counts.notice).toBe(g.alerts.length);
  });

  it('puts the most severe group first, then the one with most alerts at that level', () => {
    const alerts = [
      ...Array.from({ length: 9 }, () => alert({ areaId: 1 })),
      alert({ areaId: 2, level: 'critical' }),
      ...Array.from({ length: 3 }, () => alert({ areaId: 3, level: 'critical' })),
    ];
    const groups = groupAlerts(alerts, 3);
    expect(groups.map((g) => [g.key, g.level, g.alerts.length])).toEqual([
      ['area:3', 'critical', 3],
      ['area:2', 'critical', 1],
      ['area:1', 'warning', 9],
    ]);
  });

  it('counts the acknowledged alerts of a group', () => {
    const alerts = [
      alert({ areaId: 1, acknowledgedAt: '2026-11-02T08:30:00+08:00', acknowledgedBy: 'op' }),
      alert({ areaId: 1 }),
      alert({ areaId: 1 }),
    ];
    expect(groupAlerts(alerts, 1)[0]).toMatchObject({ kind: 'area', acknowledged: 1 });
  });
});

describe('what the banner says', () => {
  it('names the most severe area of the critical, unacknowledged alerts, and how many more there are', () => {
    const alerts = [
      alert({ areaId: 1, level: 'critical' }),
      alert({ areaId: 2, level: 'critical' }),
      alert({ areaId: 2, level: 'critical', indicatorKey: 'water.depth' }),
      alert({ areaId: 3 }),
    ];
    const story = bannerStory(alerts);
    expect(story?.group.key).toBe('area:2');
    expect(story?.group.alerts).toHaveLength(2);
    expect(story?.more).toBe(1);
    expect(story?.lead.id).toBe(alerts[2].id);
  });

  const quiet: { name: string; alerts: WallAlert[] }[] = [
    { name: 'no alert', alerts: [] },
    { name: 'warnings only', alerts: [alert({ areaId: 1 })] },
    {
      name: 'a resolved critical alert',
      alerts: [alert({ areaId: 1, level: 'critical', state: 'resolved', resolvedAt: '2026-11-02T08:40:00+08:00' })],
    },
    {
      name: 'an acknowledged critical alert',
      alerts: [alert({ areaId: 1, level: 'critical', acknowledgedAt: '2026-11-02T08:40:00+08:00' })],
    },
    {
      name: 'a silenced critical alert',
      alerts: [alert({ areaId: 1, level: 'critical', silencedBy: '5d0c8f9e-0000-4000-8000-000000000001' })],
    },
  ];
  it.each(quiet)('is down with $name', ({ alerts }) => {
    expect(bannerStory(alerts)).toBeNull();
  });
});

describe('the alert KPIs', () => {
  it('count the active alerts by level, and the zones of one indicator in alert by their worst level', () => {
    const alerts = [
      alert({ areaId: 1, level: 'critical', indicatorKey: 'crowd.load' }),
      alert({ areaId: 1, indicatorKey: 'crowd.load' }),
      alert({ areaId: 2, indicatorKey: 'crowd.load' }),
      alert({ areaId: 3, level: 'notice', indicatorKey: 'crowd.load' }),
      alert({ areaId: 4, level: 'critical', indicatorKey: 'air.aqi' }),
      alert({ areaId: 5, level: 'critical', indicatorKey: 'crowd.load', state: 'resolved' }),
    ];
    const active = alerts.filter((a) => a.state === 'firing');
    expect(countAlerts(active)).toEqual({ active: 5, critical: 2, warningOrWorse: 4 });
    expect(zonesInAlert(active, 'crowd.load')).toEqual({ warningOrWorse: 2, critical: 1 });
  });
});
