import { describe, expect, it } from '@jest/globals';
import { decodeMapState, DEFAULT_MAP_STATE, encodeMapState, type MapUrlState } from './map-url-state';

const full: MapUrlState = {
  camera: { center: [113.26436, 23.12908], zoom: 12.5, pitch: 45, bearing: -20 },
  layers: [
    { key: 'areas-district', opacity: 1 },
    { key: 'heat-air-quality~aqi', opacity: 0.4 },
    { key: 'entities-cameras', opacity: 0.75 },
  ],
  indicator: 'air.aqi',
  level: 'street',
  area: 42,
};

describe('the analyst map’s URL state', () => {
  it('comes back the same after encoding and decoding', () => {
    expect(decodeMapState(encodeMapState(full))).toEqual(full);
  });

  it('keeps parameters it does not own, such as the language', () => {
    const search = encodeMapState(full, '?lang=en&c=1,2');
    expect(new URLSearchParams(search).get('lang')).toBe('en');
    expect(decodeMapState(search).camera?.center).toEqual([113.26436, 23.12908]);
  });

  it('writes nothing for the default state and reads an empty query as the default', () => {
    expect(encodeMapState(DEFAULT_MAP_STATE)).toBe('');
    expect(decodeMapState('')).toEqual(DEFAULT_MAP_STATE);
  });

  it.each([
    ['a centre that is not two numbers', '?c=abc&z=3'],
    ['a centre off the map', '?c=200,23&z=3'],
    ['a centre without a zoom', '?c=113,23'],
    ['a latitude beyond web mercator', '?c=113,89&z=3'],
  ])('drops the camera for %s', (_name, search) => {
    expect(decodeMapState(search).camera).toBeNull();
  });

  it('clamps zoom, pitch and bearing into their ranges', () => {
    expect(decodeMapState('?c=113,23&z=99&p=120&b=400').camera).toEqual({ center: [113, 23], zoom: 22, pitch: 85, bearing: 180 });
  });

  it('drops bad layer entries one by one and keeps the good ones in order', () => {
    const state = decodeMapState('?l=' + encodeURIComponent('areas@50,<script>@1,areas@20,heat-a~b@x,entities-c@250,x@1@2,grid'));
    expect(state.layers).toEqual([
      { key: 'areas', opacity: 0.5 },
      { key: 'entities-c', opacity: 1 },
      { key: 'grid', opacity: 1 },
    ]);
  });

  it.each([
    ['an unknown level', '?lv=planet', 'level', 'district'],
    ['an area id that is not a positive integer', '?a=-3', 'area', null],
    ['an area id with a fraction', '?a=1.5', 'area', null],
    ['an area id too large for the database', '?a=99999999999', 'area', null],
    ['an indicator key with spaces', '?i=air%20aqi', 'indicator', null],
  ])('falls back to the default for %s', (_name, search, field, expected) => {
    expect(decodeMapState(search)[field as keyof MapUrlState]).toEqual(expected);
  });
});
