import { DEMO_CITY } from '../demo-city.districts';
import { DEMO_DISTRICT_CODE } from '../demo-wall';

/** Letters for the demo city's case codes (GZ-TH-20261129-0042): the usual pinyin initials. */
export const DEMO_AREA_ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
  [DEMO_CITY.code, 'GZ'],
  ['440103', 'LW'],
  ['440104', 'YX'],
  ['440105', 'HZ'],
  ['440106', 'TH'],
  ['440111', 'BY'],
  ['440112', 'HP'],
  ['440113', 'PY'],
  ['440114', 'HD'],
  ['440115', 'NS'],
  ['440117', 'CH'],
  ['440118', 'ZC'],
]);

/** A district's own enforcement bureau, so the demo shows a district rule beating the city's. */
export const DEMO_DISTRICT_DEPARTMENT = {
  code: 'th-urban-management',
  name: '天河区城市管理和综合执法局',
  nameEn: 'Tianhe Urban Management Bureau',
} as const;

/** Who takes which cases in the demo city: groups city-wide, one category apart, and one district of its own. */
export const DEMO_ROUTING_RULES: readonly { category: string | null; areaCode: string | null; department: string }[] = [
  { category: 'urban-management', areaCode: null, department: 'urban-management' },
  { category: 'sanitation', areaCode: null, department: 'urban-management' },
  { category: 'municipal', areaCode: null, department: 'housing' },
  { category: 'water-affairs', areaCode: null, department: 'water' },
  { category: 'greening', areaCode: null, department: 'forestry-gardens' },
  { category: 'traffic', areaCode: null, department: 'transport' },
  // Parking is the traffic police's, not the transport bureau's.
  { category: 'illegal-parking', areaCode: null, department: 'public-security' },
  { category: 'public-order', areaCode: null, department: 'public-security' },
  { category: 'enterprise', areaCode: null, department: 'government-data' },
  { category: 'urban-management', areaCode: DEMO_DISTRICT_CODE, department: DEMO_DISTRICT_DEPARTMENT.code },
];
