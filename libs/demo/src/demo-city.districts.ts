import type { Point } from './convex-polygon';

export const DEMO_CITY = { code: '440100', name: '广州市', nameEn: 'Guangzhou' } as const;

/**
 * Convex outline around Guangzhou, counter-clockwise. Convex so that every cut keeps cells
 * convex; the price is that it takes in a little of Foshan and Dongguan, which is fine for a demo.
 */
export const CITY_OUTLINE: readonly Point[] = [
  [113.56, 22.55],
  [113.72, 22.7],
  [113.98, 23.12],
  [114.06, 23.4],
  [114.06, 23.8],
  [113.97, 23.935],
  [113.62, 23.95],
  [113.3, 23.8],
  [113.02, 23.58],
  [112.95, 23.38],
];

export interface DemoDistrict {
  code: string;
  name: string;
  nameEn: string;
  /** Resident population, approximately the 2020 (seventh) census. */
  population: number;
  /** Rough centroid of the real district. */
  centre: Point;
  /** Streets and towns (街道、镇), about as many as the real district has: 176 across the city. */
  streets: number;
}

export const DEMO_DISTRICTS: readonly DemoDistrict[] = [
  { code: '440103', name: '荔湾区', nameEn: 'Liwan District', population: 1_238_360, centre: [113.228, 23.088], streets: 22 },
  { code: '440104', name: '越秀区', nameEn: 'Yuexiu District', population: 1_038_629, centre: [113.281, 23.133], streets: 18 },
  { code: '440105', name: '海珠区', nameEn: 'Haizhu District', population: 1_819_835, centre: [113.327, 23.082], streets: 18 },
  { code: '440106', name: '天河区', nameEn: 'Tianhe District', population: 2_241_826, centre: [113.376, 23.16], streets: 21 },
  { code: '440111', name: '白云区', nameEn: 'Baiyun District', population: 3_743_015, centre: [113.324, 23.289], streets: 24 },
  { code: '440112', name: '黄埔区', nameEn: 'Huangpu District', population: 1_264_153, centre: [113.508, 23.217], streets: 17 },
  { code: '440113', name: '番禺区', nameEn: 'Panyu District', population: 2_658_045, centre: [113.407, 22.974], streets: 16 },
  { code: '440114', name: '花都区', nameEn: 'Huadu District', population: 1_642_360, centre: [113.215, 23.443], streets: 10 },
  { code: '440115', name: '南沙区', nameEn: 'Nansha District', population: 846_352, centre: [113.544, 22.737], streets: 9 },
  { code: '440117', name: '从化区', nameEn: 'Conghua District', population: 717_480, centre: [113.68, 23.677], streets: 8 },
  { code: '440118', name: '增城区', nameEn: 'Zengcheng District', population: 1_466_965, centre: [113.764, 23.341], streets: 13 },
];

/**
 * Generator sites of the power diagram that splits the outline. The four old-city districts are
 * too small and too close together for a plain Voronoi diagram (Liwan would swallow half of
 * Foshan and the river would run diagonally), so they share one "core" site whose cell is then
 * cut by three straight lines (the Liwan edge, the Pearl River, Guangzhou Avenue). Baiyun and
 * Panyu sit a little off their centroids so the core comes out where the old city is.
 */
export const OUTER_SITES: Readonly<Record<string, Point>> = {
  '440111': [113.29, 23.3],
  '440112': [113.508, 23.217],
  '440113': [113.38, 22.97],
  '440114': [113.215, 23.443],
  '440115': [113.544, 22.737],
  '440117': [113.68, 23.677],
  '440118': [113.764, 23.341],
};

/** The shared site of the old city; the negative power weight (km²) shrinks it to ~430 km². */
export const CORE_SITE: Point = [113.35, 23.125];
export const CORE_WEIGHT = -50;

/**
 * Directed cut lines through the core cell, each as [from, to].
 * Liwan lies right of the first (west of Renmin Road), Haizhu right of the second (south of
 * the river), Yuexiu left of the third (west of Guangzhou Avenue) and Tianhe right of it.
 */
export const CORE_CUTS: Readonly<Record<'liwanEdge' | 'pearlRiver' | 'guangzhouAvenue', readonly [Point, Point]>> = {
  liwanEdge: [
    [113.256, 23.17],
    [113.246, 23.04],
  ],
  pearlRiver: [
    [113.25, 23.1135],
    [113.42, 23.106],
  ],
  guangzhouAvenue: [
    [113.318, 23.11],
    [113.3, 23.2],
  ],
};
