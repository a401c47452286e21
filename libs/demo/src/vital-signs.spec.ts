import { catalogKeySchema, SEVERITIES, thresholdSpecSchema, type ThresholdSpec } from '@cityops/contracts';
import { CITY_FEEDS } from './city/city-feeds';
import { MARATHON_FEED } from './demo-catalog';
import { DEMO_VITAL_SIGNS, type DemoIndicatorDefinition } from './vital-signs';

const feeds = new Map([...CITY_FEEDS.map((f) => f.feed), MARATHON_FEED].map((f) => [f.key, f]));
const references = (formula: string): string[] => [...formula.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

/** The design's rules between threshold fields (the indicator engine checks the same at the API). */
function thresholdProblems(spec: ThresholdSpec): string[] {
  const problems: string[] = [];
  const ops = new Set(spec.levels.map((l) => (l.op === '>=' || l.op === '>' ? 'up' : 'down')));
  if (ops.size > 1) problems.push('operators point both ways');
  const up = ops.has('up');
  spec.levels.forEach((level, i) => {
    if (i > 0) {
      const previous = spec.levels[i - 1];
      if (SEVERITIES.indexOf(level.level) <= SEVERITIES.indexOf(previous.level)) problems.push(`levels[${i}] out of severity order`);
      if (up ? level.value <= previous.value : level.value >= previous.value)
        problems.push(`levels[${i}].value not beyond levels[${i - 1}]`);
    }
    if (level.clear !== undefined && (up ? level.clear > level.value : level.clear < level.value))
      problems.push(`levels[${i}].clear on the unsafe side`);
  });
  return problems;
}

describe('the demo vital signs', () => {
  it('have unique catalog keys', () => {
    const keys = DEMO_VITAL_SIGNS.map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(catalogKeySchema.safeParse(key).success).toBe(true);
  });

  it.each(DEMO_VITAL_SIGNS.map((d) => [d.key, d] as const))(
    '%s reads a feed and metric of the catalog, or indicators defined before it',
    (_key, definition) => {
      const source = definition.source;
      if (source.kind === 'aggregate') {
        const feed = feeds.get(source.feed);
        expect(feed).toBeDefined();
        expect(feed!.metrics.map((m) => m.key)).toContain(source.metric);
        expect(source.windowSeconds).toBeGreaterThanOrEqual(10);
        return;
      }
      const earlier = new Set(DEMO_VITAL_SIGNS.slice(0, DEMO_VITAL_SIGNS.indexOf(definition)).map((d) => d.key));
      const read = references(source.formula);
      expect(read.length).toBeGreaterThan(0);
      expect(read.filter((key) => !earlier.has(key))).toEqual([]);
    },
  );

  it.each(DEMO_VITAL_SIGNS.filter((d) => d.thresholds).map((d) => [d.key, d] as const))(
    '%s has thresholds of the shared shape, in order, with hysteresis on the safe side',
    (_key, definition: DemoIndicatorDefinition) => {
      expect(thresholdSpecSchema.parse(definition.thresholds)).toEqual(definition.thresholds);
      expect(thresholdProblems(definition.thresholds!)).toEqual([]);
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
      new Set(['environment', 'traffic', 'water', 'construction', 'public_services', 'health', 'major_events', 'overview']),
    );
    const composites = DEMO_VITAL_SIGNS.filter((d) => d.source.kind === 'composite');
    expect(composites.map((d) => [d.key, d.name, d.grouping])).toEqual([
      ['city.vital_index', '城市运行指数', { levels: ['city', 'district'] }],
    ]);
  });

  it('scores the city index with balanced parentheses and weights that add up to 1', () => {
    const formula = DEMO_VITAL_SIGNS.find((d) => d.key === 'city.vital_index')!.source;
    if (formula.kind !== 'composite') throw new Error('not a composite');
    let depth = 0;
    for (const ch of formula.formula) {
      depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    const weights = [...formula.formula.matchAll(/^[+ ]*(?:round\()?\s*([01]\.\d+) \*/gm)].map((m) => Number(m[1]));
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});
