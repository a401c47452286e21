import { catalogKeySchema, indicatorWriteSchema } from '@cityops/contracts';
import { parseFormula, readsOf, validateDefinition, type DefinitionContext } from '@cityops/indicators';
import { CITY_FEEDS } from './city/city-feeds';
import { DEMO_VITAL_SIGNS } from './vital-signs';

/** The catalog as the seeder leaves it: the city's feeds, then each definition in order. */
const context = (upTo: number): DefinitionContext => ({
  feeds: new Map(CITY_FEEDS.map(({ feed }) => [feed.key, feed.metrics.map((m) => m.key)])),
  zoneSets: new Set(),
  indicators: new Map(DEMO_VITAL_SIGNS.slice(0, upTo).map((d) => [d.key, readsOf(d.source)])),
});

describe('the demo vital signs', () => {
  it('have unique catalog keys', () => {
    const keys = DEMO_VITAL_SIGNS.map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(catalogKeySchema.safeParse(key).success).toBe(true);
  });

  it.each(DEMO_VITAL_SIGNS.map((d, i) => [d.key, d, i] as const))(
    '%s passes the indicator engine’s own checks against the catalog and the definitions before it',
    (_key, definition, index) => {
      expect(indicatorWriteSchema.parse(definition)).toEqual(definition);
      expect(validateDefinition(definition, context(index))).toEqual([]);
    },
  );

  it('say they are demo data, in both languages', () => {
    for (const d of DEMO_VITAL_SIGNS) {
      expect(d.description).toContain('演示数据');
      expect(d.descriptionEn).toContain('Demo data');
    }
  });

  it('cover every department feed of the demo city, each theme of the wall, and one composite city index', () => {
    const read = new Set(DEMO_VITAL_SIGNS.flatMap((d) => (d.source.kind === 'aggregate' ? [d.source.feed] : [])));
    expect(CITY_FEEDS.map((f) => f.feed.key).filter((k) => !read.has(k))).toEqual([]);
    expect(new Set(DEMO_VITAL_SIGNS.map((d) => d.theme))).toEqual(
      new Set(['environment', 'traffic', 'water', 'construction', 'public_services', 'health', 'overview']),
    );
    const composites = DEMO_VITAL_SIGNS.filter((d) => d.source.kind === 'composite');
    expect(composites.map((d) => [d.key, d.name, d.grouping])).toEqual([
      ['city.vital_index', '城市运行指数', { levels: ['city', 'district'] }],
    ]);
  });

  it('scores the city index with a formula that parses and weights that add up to 1', () => {
    const formula = DEMO_VITAL_SIGNS.find((d) => d.key === 'city.vital_index')?.source;
    if (formula?.kind !== 'composite') throw new Error('not a composite');
    expect(() => parseFormula(formula.formula)).not.toThrow();
    const weights = [...formula.formula.matchAll(/^[+ ]*(?:round\()?\s*([01]\.\d+) \*/gm)].map((m) => Number(m[1]));
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});
