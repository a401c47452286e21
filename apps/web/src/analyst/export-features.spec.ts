import { describe, expect, it } from '@jest/globals';
import type { Feature } from 'geojson';
import type { LayerView } from '@cityops/contracts';
import { boxesMeet, csvCell, geometryBbox, ogcCollectionsOf, tagFeatures, toCsv, toFeatureCollection } from './export-features';

const vector = (key: string): LayerView => ({
  key,
  name: key,
  nameEn: null,
  kind: 'vector',
  theme: 'base',
  themeName: '基础地理',
  themeNameEn: 'Base geography',
  tiles: `/api/tiles/${key}/{z}/{x}/{y}.mvt`,
  sourceLayer: key,
  minzoom: 0,
  maxzoom: 16,
  featuresUrl: null,
  legend: null,
});

const camera: Feature = {
  type: 'Feature',
  id: 'cam-1',
  geometry: { type: 'Point', coordinates: [113.3, 23.1] },
  properties: { id: 'cam-1', name: '=HYPERLINK("x")', status: 'online' },
};
const street: Feature = {
  type: 'Feature',
  id: 7,
  geometry: {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [113, 23],
          [113.2, 23],
          [113.2, 23.2],
          [113, 23],
        ],
      ],
    ],
  },
  properties: { id: 7, code: '440106001', name: '天河南街道, "一"', level: 'street', population: 12000 },
};

describe('export of what is in view', () => {
  it.each([
    ['areas-street', ['areas-street']],
    ['areas', ['areas-district', 'areas-street', 'areas-community', 'areas-grid']],
    ['entities-cameras', ['feed-cameras']],
    ['heat-air~aqi', []],
  ])('reads layer %s from the OGC collections %p', (key, collections) => {
    expect(ogcCollectionsOf(vector(key))).toEqual(collections);
  });

  it('reads a zone set from its zones collection', () => {
    expect(
      ogcCollectionsOf({ key: 'zones-m', name: 'm', nameEn: null, kind: 'geojson', url: '/x', zoneSet: 'm', indicator: null, scene: null }),
    ).toEqual(['zones-m']);
  });

  it('tags each feature with its layer and collection and keeps the box on the collection', () => {
    const fc = toFeatureCollection(tagFeatures([camera], 'entities-cameras', 'feed-cameras'), [113, 23, 114, 24]);
    expect(fc.bbox).toEqual([113, 23, 114, 24]);
    expect(fc.features[0].properties).toMatchObject({ layer: 'entities-cameras', collection: 'feed-cameras', status: 'online' });
  });

  it('measures a geometry’s box and tells whether boxes meet', () => {
    expect(geometryBbox(street.geometry)).toEqual([113, 23, 113.2, 23.2]);
    expect(geometryBbox(null)).toBeNull();
    expect(boxesMeet([113, 23, 113.2, 23.2], [113.2, 23.2, 114, 24])).toBe(true);
    expect(boxesMeet([113, 23, 113.1, 23.1], [113.2, 23.2, 114, 24])).toBe(false);
  });

  it('writes CSV with one row per feature, a point for each and quoted, formula-safe text', () => {
    const csv = toCsv([
      ...tagFeatures([street], 'areas-street', 'areas-street'),
      ...tagFeatures([camera], 'entities-cameras', 'feed-cameras'),
    ]);
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('layer,collection,id,code,name,level,lon,lat,geometry_type,population,status');
    expect(lines[1]).toBe('areas-street,areas-street,7,440106001,"天河南街道, ""一""",street,113.1,23.1,MultiPolygon,12000,');
    expect(lines[2]).toBe(`entities-cameras,feed-cameras,cam-1,,"'=HYPERLINK(""x"")",,113.3,23.1,Point,,online`);
    expect(lines).toHaveLength(3);
  });

  it.each([
    [null, ''],
    [Number.POSITIVE_INFINITY, ''],
    [-3.5, '-3.5'],
    ['-3', "'-3"],
    [{ a: 1 }, '"{""a"":1}"'],
    ['line\nbreak', '"line\nbreak"'],
  ])('writes the cell %p as %p', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});
