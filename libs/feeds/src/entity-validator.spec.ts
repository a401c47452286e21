import { validateEntity } from './entity-validator';

const bounds: [number, number, number, number] = [112.9, 22.5, 114.1, 24.0];
const ts = '2026-11-01T08:00:00+08:00';
const ring = [
  [113.3, 23.1],
  [113.31, 23.1],
  [113.31, 23.11],
  [113.3, 23.1],
];

describe('validateEntity (checks that need no database)', () => {
  it.each([
    ['a located entity', { id: 'a', ts, location: [113.3, 23.1] }, { point: [113.3, 23.1] }],
    ['a point geometry', { id: 'a', ts, geometry: { type: 'Point', coordinates: [113.3, 23.1] } }, { point: [113.3, 23.1] }],
    ['a polygon (PostGIS judges it next)', { id: 'a', ts, geometry: { type: 'Polygon', coordinates: [ring] } }, { point: null }],
    ['no place at all', { id: 'a', ts }, { geometry: null, point: null }],
    ['a null geometry (GeoJSON for no place)', { id: 'a', ts, geometry: null }, { geometry: null, point: null }],
    ['a missing id', { ts }, /^id: /],
    ['a time without a zone', { id: 'a', ts: '2026-11-01T08:00:00' }, /^ts: /],
    ['an unknown field', { id: 'a', ts, colour: 'red' }, /Unrecognized key/],
    ['a location outside the city', { id: 'a', ts, location: [116.4, 39.9] }, 'location: [116.4, 39.9] is outside the city bounds'],
    [
      'a point geometry outside the city',
      { id: 'a', ts, geometry: { type: 'Point', coordinates: [116.4, 39.9] } },
      'geometry: outside the city bounds',
    ],
    [
      'a polygon of [[1]]',
      { id: 'a', ts, geometry: { type: 'Polygon', coordinates: [[1]] } },
      'geometry: a ring has fewer than 4 positions',
    ],
    ['a point of strings', { id: 'a', ts, geometry: { type: 'Point', coordinates: ['113', '23'] } }, /^geometry: a position is not/],
    ['a NUL character', { id: 'a', ts, props: { note: 'a\u0000b' } }, /NUL character/],
  ])('%s', (_name, raw, expected) => {
    const verdict = validateEntity(raw, bounds);
    if (typeof expected === 'string' || expected instanceof RegExp) expect(verdict.ok ? 'accepted' : verdict.reason).toMatch(expected);
    else expect(verdict.ok ? verdict.entity : verdict.reason).toMatchObject(expected);
  });
});
