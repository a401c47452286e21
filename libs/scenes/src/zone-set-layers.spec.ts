import type { SceneView } from '@cityops/contracts';
import type { ZoneSetSummary } from '@cityops/geo';
import { zoneSetLayers } from './zone-set-layers';

const zoneSet = (key: string): ZoneSetSummary => ({ key, name: `${key} 分区`, nameEn: null, description: null, zones: 3 });

const scene = (key: string, zoneSetKey: string, indicatorKey: string, enabled = true): SceneView => ({
  key,
  kind: 'event',
  focusAreaId: null,
  layers: [],
  kpis: [],
  cameras: null,
  cases: null,
  bounds: null,
  name: key,
  nameEn: null,
  zoneSet: zoneSetKey,
  indicatorKey,
  feedKey: null,
  totalLabel: '人数',
  totalLabelEn: null,
  totalUnit: null,
  totalUnitEn: null,
  zoneLabel: '分区',
  zoneLabelEn: null,
  zoneUnit: null,
  zoneUnitEn: null,
  position: 0,
  enabled,
});

describe('zoneSetLayers (a layer per zone set, linked to the scene that shows it)', () => {
  it.each([
    ['no scene: the layer has no indicator', [], [{ zoneSet: 'fair', indicator: null, scene: null }]],
    [
      'one scene: its indicator',
      [scene('fair-wall', 'fair', 'fair.load')],
      [{ zoneSet: 'fair', indicator: 'fair.load', scene: 'fair-wall' }],
    ],
    [
      'two scenes on one zone set: the first in the given (wall) order',
      [scene('b', 'fair', 'fair.queue'), scene('a', 'fair', 'fair.load')],
      [{ zoneSet: 'fair', indicator: 'fair.queue', scene: 'b' }],
    ],
    [
      'a disabled scene does not count',
      [scene('off', 'fair', 'fair.queue', false), scene('on', 'fair', 'fair.load')],
      [{ zoneSet: 'fair', indicator: 'fair.load', scene: 'on' }],
    ],
    [
      'a scene on another zone set does not count',
      [scene('run', 'run-course', 'run.load')],
      [{ zoneSet: 'fair', indicator: null, scene: null }],
    ],
  ] as const)('%s', (_name, scenes, expected) => {
    expect(zoneSetLayers([zoneSet('fair')], scenes).map(({ zoneSet, indicator, scene }) => ({ zoneSet, indicator, scene }))).toEqual(
      expected,
    );
  });

  it("points each layer at its zone set's GeoJSON", () => {
    expect(zoneSetLayers([zoneSet('a.b_c')], [])).toEqual([
      {
        key: 'zones-a.b_c',
        name: 'a.b_c 分区',
        nameEn: null,
        kind: 'geojson',
        url: '/api/areas?zoneSet=a.b_c&geometry=true',
        zoneSet: 'a.b_c',
        indicator: null,
        scene: null,
      },
    ]);
  });
});
