export type DemoAreaLevel = 'city' | 'district' | 'street' | 'community' | 'grid' | 'zone';

/** A GeoJSON MultiPolygon in EPSG:4326: closed rings, outer rings counter-clockwise. */
export interface DemoMultiPolygon {
  type: 'MultiPolygon';
  coordinates: number[][][][];
}

/** One row of the generated demo geography, ready for the areas table. */
export interface DemoArea {
  /** Unique; the real administrative code where there is one, else derived from the parent's. */
  code: string;
  name: string;
  nameEn: string;
  level: DemoAreaLevel;
  /** Null for the city and for zones. */
  parentCode: string | null;
  /** 'gz-marathon' for the marathon zones, null otherwise. */
  zoneSet: string | null;
  /** Order along the course for zones (1..N). */
  seq: number | null;
  /** Crowd capacity in people, for zones. */
  capacity: number | null;
  population: number | null;
  households: number | null;
  geometry: DemoMultiPolygon;
}
