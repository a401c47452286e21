import { describe, expect, it } from '@jest/globals';
import type { SceneView } from '@cityops/contracts';
import { allWallChannels } from './scene';

const scene = (key: string, patch: Partial<SceneView> = {}): SceneView => ({
  key,
  kind: 'overview',
  name: key,
  nameEn: null,
  zoneSet: null,
  indicatorKey: null,
  feedKey: null,
  totalLabel: null,
  totalLabelEn: null,
  totalUnit: null,
  totalUnitEn: null,
  zoneLabel: null,
  zoneLabelEn: null,
  zoneUnit: null,
  zoneUnitEn: null,
  focusAreaId: null,
  layers: [],
  kpis: [],
  cameras: null,
  cases: null,
  bounds: null,
  position: 0,
  enabled: true,
  ...patch,
});

describe('the wall’s channels', () => {
  it('adds the cases channel and the case indicators once when a scene shows the cases panel', () => {
    const channels = allWallChannels([
      scene('a', { cases: { areaId: null } }),
      scene('b', { cases: { areaId: 7 }, kpis: [{ indicatorKey: 'cases.overdue', areaId: 7, label: '超期', labelEn: null }] }),
    ]);
    expect(channels).toEqual([
      'alerts',
      'feeds',
      'cases',
      'indicator:cases.open_per_10k',
      'indicator:cases.overdue',
      'indicator:cases.supervised',
    ]);
  });

  it('listens to no cases without a cases panel', () => {
    expect(allWallChannels([scene('a')])).toEqual(['alerts', 'feeds']);
  });
});
