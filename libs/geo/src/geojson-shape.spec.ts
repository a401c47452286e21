import { geometryShapeProblem } from './geojson-shape';

const square = [
  [113.3, 23.1],
  [113.31, 23.1],
  [113.31, 23.11],
  [113.3, 23.11],
  [113.3, 23.1],
];

describe('geometryShapeProblem (GeoJSON shape before PostGIS)', () => {
  it.each([
    ['a point', { type: 'Point', coordinates: [113.3, 23.1] }, null],
    ['a point with a height', { type: 'Point', coordinates: [113.3, 23.1, 12] }, null],
    ['a line', { type: 'LineString', coordinates: square.slice(0, 2) }, null],
    ['a polygon', { type: 'Polygon', coordinates: [square] }, null],
    ['a multipolygon', { type: 'MultiPolygon', coordinates: [[square], [square]] }, null],
    ['a multipoint', { type: 'MultiPoint', coordinates: square }, null],
    ['a multilinestring', { type: 'MultiLineString', coordinates: [square] }, null],
    ['null', null, 'geometry is missing'],
    ['an array', [113.3, 23.1], 'geometry is missing'],
    ['an unknown type', { type: 'Circle', coordinates: [113.3, 23.1] }, /^geometry type Circle is not Point, .* or MultiPolygon$/],
    ['no coordinates', { type: 'Polygon' }, 'geometry has no coordinates'],
    ['empty coordinates', { type: 'MultiPoint', coordinates: [] }, 'geometry has no coordinates'],
    ['a polygon of [[1]]', { type: 'Polygon', coordinates: [[1]] }, 'a ring has fewer than 4 positions'],
    ['a polygon with an empty ring list inside a multipolygon', { type: 'MultiPolygon', coordinates: [[]] }, 'a polygon has no rings'],
    ['a ring of three positions', { type: 'Polygon', coordinates: [square.slice(0, 3)] }, 'a ring has fewer than 4 positions'],
    ['an open ring', { type: 'Polygon', coordinates: [square.slice(0, 4).concat([[113.29, 23.1]])] }, /^a ring is not closed/],
    ['a point of strings (PostGIS reads it as 0 0)', { type: 'Point', coordinates: ['a', 'b'] }, /^a position is not/],
    ['a latitude beyond the pole', { type: 'Point', coordinates: [113.3, 95] }, /^a position is not/],
    ['a line of one position', { type: 'LineString', coordinates: [[113.3, 23.1]] }, 'a line has fewer than 2 positions'],
    ['a multilinestring with a bad line', { type: 'MultiLineString', coordinates: [square, [1]] }, 'a line has fewer than 2 positions'],
  ])('%s', (_name, geometry, expected) => {
    const problem = geometryShapeProblem(geometry);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });

  it('names only the allowed types when a caller narrows them', () => {
    expect(geometryShapeProblem({ type: 'Point', coordinates: [113.3, 23.1] }, ['Polygon', 'MultiPolygon'])).toBe(
      'geometry type Point is not Polygon or MultiPolygon',
    );
  });
});
