import { entityFeature, newestReadings, readingFeatures, type LiveReading } from './live-layer-features';

const reading = (entity: string, metric: string, value: number, ts: string, at: [number, number], extra: Partial<LiveReading> = {}) =>
  ({ entity, metric, value, ts, lon: at[0], lat: at[1], areaId: 7, name: null, ...extra }) satisfies LiveReading;

describe('live layer features', () => {
  it('keeps the newest reading of each entity and metric of a batch', () => {
    const rows = [
      reading('s1', 'aqi', 1, '2026-11-30T08:00:00Z', [113, 23]),
      reading('s1', 'aqi', 2, '2026-11-30T08:02:00Z', [113, 23]),
      reading('s1', 'aqi', 3, '2026-11-30T08:01:00Z', [113, 23]),
      reading('s0', 'pm25', 4, '2026-11-30T08:00:00Z', [113, 23]),
    ];
    expect(newestReadings(rows).map((r) => [r.entity, r.metric, r.value])).toEqual([
      ['s0', 'pm25', 4],
      ['s1', 'aqi', 2],
    ]);
  });

  it('makes one point per entity, where its newest reading was, with each metric’s value and time', () => {
    const features = readingFeatures(
      [
        reading('s1', 'aqi', 80, '2026-11-30T08:02:00Z', [113.2, 23.2], { areaId: 8 }),
        reading('s1', 'pm25', 30, '2026-11-30T08:01:00+08:00', [113.1, 23.1], { name: '天河站' }),
      ],
      new Map([
        [7, 'g7'],
        [8, 'g8'],
      ]),
    );
    expect(features).toEqual([
      {
        type: 'Feature',
        id: 's1',
        geometry: { type: 'Point', coordinates: [113.2, 23.2] },
        properties: {
          id: 's1',
          name: '天河站',
          ts: '2026-11-30T08:02:00.000Z',
          area: 'g8',
          'value:aqi': 80,
          'ts:aqi': '2026-11-30T08:02:00.000Z',
          'value:pm25': 30,
          'ts:pm25': '2026-11-30T00:01:00.000Z',
        },
      },
    ]);
  });

  it('writes an entity’s own fields over props of the same name, and has no feature for an entity without a place', () => {
    const ts = new Date('2026-11-30T08:00:00Z');
    const placed = entityFeature(
      {
        id: 'cam-1',
        ts,
        geometry: { type: 'Point', coordinates: [113, 23] },
        props: { ts: 'forged', area: 'forged', status: 'online' },
        areaId: 7,
      },
      new Map([[7, 'g7']]),
    );
    expect(placed?.properties).toEqual({ status: 'online', id: 'cam-1', ts: ts.toISOString(), area: 'g7' });
    expect(entityFeature({ id: 'cam-2', ts, geometry: null, props: {}, areaId: null }, new Map())).toBeNull();
  });
});
