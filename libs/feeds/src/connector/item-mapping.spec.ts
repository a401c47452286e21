import type { ConnectorConfig } from '@cityops/contracts';
import { mapItem, valueAt } from './item-mapping';

const connector = (over: Partial<ConnectorConfig>): ConnectorConfig => ({
  url: 'https://example.org/data',
  format: 'json',
  intervalSeconds: 60,
  timeoutSeconds: 20,
  mapping: { value: 'v' },
  metric: 'level',
  ...over,
});
const fetchedAt = '2026-01-02T03:04:05.000Z';

describe('connector item mapping', () => {
  it('reads dot paths, array indices and keys that contain dots', () => {
    const item = { a: { b: [{ c: 1 }] }, 'pm2.5': 7 };
    expect(valueAt(item, 'a.b.0.c')).toBe(1);
    expect(valueAt(item, 'pm2.5')).toBe(7);
    expect(valueAt(item, 'a.x.c')).toBeUndefined();
    expect(valueAt(item, 'toString')).toBeUndefined();
  });

  it('maps an item to the record shape: numeric strings to numbers, codes to text, lon/lat to a location', () => {
    const c = connector({ mapping: { id: 'sid', entity: 'st', value: 'r.v', ts: 't', lon: 'x', lat: 'y', area: 'd' } });
    expect(
      mapItem({ sid: 17, st: 'A', r: { v: '3.5' }, t: '2026-01-01T00:00:00+08:00', x: '113.3', y: 23.1, d: 440106 }, c, fetchedAt),
    ).toEqual({
      id: '17',
      entity: 'A',
      metric: 'level',
      value: 3.5,
      ts: '2026-01-01T00:00:00+08:00',
      location: [113.3, 23.1],
      area: '440106',
    });
  });

  it('uses the fetch time when the item has none, epoch numbers as times, and leaves out fields it does not map', () => {
    expect(mapItem({ v: 1 }, connector({}), fetchedAt)).toEqual({ metric: 'level', value: 1, ts: fetchedAt });
    expect(mapItem({ v: 1, t: 1767322800 }, connector({ mapping: { value: 'v', ts: 't' } }), fetchedAt).ts).toBe(
      '2026-01-02T03:00:00.000Z',
    );
    expect(mapItem({ v: 1, t: 1767322800000 }, connector({ mapping: { value: 'v', ts: 't' } }), fetchedAt).ts).toBe(
      '2026-01-02T03:00:00.000Z',
    );
  });

  it('prefers the mapped metric, falls back to the fixed one, and keeps unusable values for validation to explain', () => {
    const c = connector({ mapping: { value: 'v', metric: 'm', lon: 'x', lat: 'y' } });
    expect(mapItem({ v: 'n/a', m: 'pm25', x: 113.3 }, c, fetchedAt)).toEqual({
      metric: 'pm25',
      value: 'n/a',
      ts: fetchedAt,
      location: [113.3, null],
    });
    expect(mapItem({ v: 2 }, c, fetchedAt).metric).toBe('level');
  });

  it("takes a GeoJSON item's Point unless the mapping names other fields", () => {
    expect(mapItem({ v: 1, __lon: 113.3, __lat: 23.1 }, connector({ format: 'geojson' }), fetchedAt).location).toEqual([113.3, 23.1]);
  });
});
