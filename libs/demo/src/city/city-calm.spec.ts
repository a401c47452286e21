import { DEFAULT_DEMO_SEED } from '../seeded-random';
import { DEMO_VITAL_SIGNS } from '../vital-signs';
import { CITY_FEEDS } from './city-feeds';
import { generateCitySites } from './city-sites';

/**
 * The demo's purpose: a wall that is calm most of the time with something happening somewhere
 * now and then. Checked by computing each district's vital signs (latest per site, then across
 * the district, as their definitions say) every 30 minutes over two weekdays and comparing them
 * with their thresholds (without pending periods or hysteresis, which only make alerts rarer).
 */
describe('a living but mostly calm city', () => {
  const seed = DEFAULT_DEMO_SEED;
  const sites = generateCitySites(seed);
  const feeds = new Map(CITY_FEEDS.map((f) => [f.feed.key, f]));
  const signs = DEMO_VITAL_SIGNS.filter(
    (d) => d.source.kind === 'aggregate' && d.source.perEntity === 'latest' && d.thresholds && feeds.has(d.source.feed),
  );
  const start = new Date('2026-11-23T00:00:00+08:00').getTime();
  const instants = Array.from({ length: 96 }, (_, i) => new Date(start + i * 30 * 60_000));

  /** Per instant, per sign: the level of each district at it ('' when normal). */
  const levels = instants.map((at) => {
    const byFeed = new Map([...feeds].map(([key, feed]) => [key, feed.readings(sites, seed, at)]));
    return signs.map((sign) => {
      if (sign.source.kind !== 'aggregate') throw new Error('aggregate only');
      const { feed, metric, across } = sign.source;
      const perDistrict = new Map<string, number[]>();
      for (const r of byFeed.get(feed)!)
        perDistrict.set(r.site.districtCode, [...(perDistrict.get(r.site.districtCode) ?? []), r.values[metric]]);
      return [...perDistrict.values()].map((values) => {
        const value =
          across === 'max'
            ? Math.max(...values)
            : across === 'sum'
              ? values.reduce((a, b) => a + b, 0)
              : values.reduce((a, b) => a + b, 0) / values.length;
        const held = sign.thresholds!.levels.filter((l) =>
          l.op === '>=' ? value >= l.value : l.op === '>' ? value > l.value : l.op === '<=' ? value <= l.value : value < l.value,
        );
        return held.length ? held[held.length - 1].level : '';
      });
    });
  });

  it('keeps each vital sign at warning or worse in under 5 % of district-times', () => {
    signs.forEach((sign, s) => {
      const all = levels.flatMap((perSign) => perSign[s]);
      const serious = all.filter((level) => level === 'warning' || level === 'critical').length;
      expect({ sign: sign.key, share: serious / all.length < 0.05 }).toEqual({ sign: sign.key, share: true });
    });
  });

  it('has no district at warning or worse on any sign most of the time', () => {
    const calm = levels.filter((perSign) => perSign.every((districts) => districts.every((level) => level === '' || level === 'notice')));
    expect(calm.length / levels.length).toBeGreaterThan(0.5);
  });

  it('still has several signs alerting somewhere over two days', () => {
    const alerted = signs.filter((_sign, s) => levels.some((perSign) => perSign[s].some((level) => level !== '')));
    expect(alerted.length).toBeGreaterThanOrEqual(4);
  });
});
