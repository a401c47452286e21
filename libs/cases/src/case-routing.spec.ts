import { routeCase, type RoutingRule, type RoutingSubject } from './case-routing';

// Areas: the city 1 > 天河 10 > 天河南街道 100 > a community 1000 > a grid 10000; 越秀 20 elsewhere.
const CITY = 1;
const TIANHE = 10;
const STREET = 100;
const GRID = 10000;
const YUEXIU = 20;
const IN_TIANHE_GRID = [CITY, TIANHE, STREET, 1000, GRID];

const stall = (areaPath: readonly number[] = IN_TIANHE_GRID): RoutingSubject => ({
  category: 'street-stall', // 占道经营
  categoryGroup: 'city-management', // 城管
  areaPath,
});

const rule = (id: string, category: string | null, areaId: number | null, departmentId: string): RoutingRule => ({
  id,
  category,
  areaId,
  departmentId,
});

const CATALOG: RoutingRule[] = [
  rule('r-any-city', null, null, 'command-centre'),
  rule('r-any-tianhe', null, TIANHE, 'tianhe-office'),
  rule('r-group-city', 'city-management', null, 'city-management-bureau'),
  rule('r-stall-city', 'street-stall', null, 'urban-enforcement'),
  rule('r-stall-tianhe', 'street-stall', TIANHE, 'tianhe-enforcement'),
  rule('r-stall-street', 'street-stall', STREET, 'tianhe-south-enforcement'),
  rule('r-stall-yuexiu', 'street-stall', YUEXIU, 'yuexiu-enforcement'),
  rule('r-garbage-city', 'garbage', null, 'sanitation'),
];

describe('routing: category × area → department, the most specific rule wins', () => {
  it.each<[what: string, rules: RoutingRule[], subject: RoutingSubject, expected: string | null]>([
    ['the street’s own rule for the category beats the district’s and the city’s', CATALOG, stall(), 'r-stall-street'],
    ['without it, the district’s', CATALOG.filter((r) => r.id !== 'r-stall-street'), stall(), 'r-stall-tianhe'],
    ['another district’s rule never applies', CATALOG, stall([CITY, YUEXIU, 200, 2000, 20000]), 'r-stall-yuexiu'],
    ['a district without its own rule gets the city’s for the category', CATALOG, stall([CITY, 30, 300, 3000, 30000]), 'r-stall-city'],
    [
      'the category counts before the place: 占道经营 in the city beats anything in 天河',
      CATALOG.filter((r) => !['r-stall-street', 'r-stall-tianhe'].includes(r.id)),
      stall(),
      'r-stall-city',
    ],
    ['the category beats its group', CATALOG.filter((r) => r.category !== 'street-stall' || r.areaId === null), stall(), 'r-stall-city'],
    ['the group beats any category', CATALOG.filter((r) => r.category !== 'street-stall'), stall(), 'r-group-city'],
    ['among rules for any category, the place decides', CATALOG.filter((r) => r.category === null), stall(), 'r-any-tianhe'],
    ['no rule matching: none (the command centre dispatches by hand)', [rule('r-garbage', 'garbage', null, 'sanitation')], stall(), null],
    [
      'equally specific rules: the lower id, whatever the order they come in',
      [rule('r-b', 'street-stall', TIANHE, 'b'), rule('r-a', 'street-stall', TIANHE, 'a')],
      stall(),
      'r-a',
    ],
  ])('%s', (_what, rules, subject, expected) => {
    expect(routeCase(rules, subject)?.rule.id ?? null).toBe(expected);
  });

  it('names the department of the rule it chose', () => {
    expect(routeCase(CATALOG, stall())).toEqual({ rule: CATALOG[5], departmentId: 'tianhe-south-enforcement' });
  });
});
