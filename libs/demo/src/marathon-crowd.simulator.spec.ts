import { MARATHON_CAPACITIES } from './marathon-course';
import {
  computePeakHeadcounts,
  createMarathonRace,
  DEFAULT_RACE_SPEEDUP,
  RACE_CYCLE_SECONDS,
  type MarathonRace,
  type MarathonSurge,
} from './marathon-crowd.simulator';

const GUN = new Date('2026-11-22T07:30:00+08:00');
const at = (wallSeconds: number) => new Date(GUN.getTime() + wallSeconds * 1000);
const ratios = (race: MarathonRace, wallSeconds: number) =>
  race.headcounts(at(wallSeconds)).map((h, i) => h.headcount / MARATHON_CAPACITIES[i]);
const total = (race: MarathonRace, wallSeconds: number) => race.headcounts(at(wallSeconds)).reduce((sum, h) => sum + h.headcount, 0);
/** Wall-clock seconds of one whole race at the default speed-up. */
const RACE_WALL_SECONDS = RACE_CYCLE_SECONDS / DEFAULT_RACE_SPEEDUP;

describe('createMarathonRace', () => {
  it('runs a whole race in about 20 wall-clock minutes', () => {
    expect(RACE_WALL_SECONDS).toBeCloseTo(1200, 6);
    const race = createMarathonRace({ startedAt: GUN });
    expect(race.raceSeconds(at(60))).toBeCloseTo(60 * DEFAULT_RACE_SPEEDUP, 6);
    expect(race.raceSeconds(at(RACE_WALL_SECONDS + 60))).toBeCloseTo(60 * DEFAULT_RACE_SPEEDUP, 6);
  });

  it('reports one integer headcount per zone, in course order', () => {
    const counts = createMarathonRace({ startedAt: GUN }).headcounts(at(400));
    expect(counts.map((c) => c.code)).toEqual(Array.from({ length: 21 }, (_, i) => `GZM-${String(i + 1).padStart(2, '0')}`));
    for (const { headcount } of counts) {
      expect(Number.isInteger(headcount)).toBe(true);
      expect(headcount).toBeGreaterThanOrEqual(0);
    }
    expect(counts.reduce((s, c) => s + c.headcount, 0)).toBeGreaterThan(0);
  });

  it('is deterministic for a seed, whatever order it is asked in', () => {
    const times = [30, 200, 90, 650, 1100, 300, 2500];
    const a = createMarathonRace({ startedAt: GUN, seed: 42 });
    const b = createMarathonRace({ startedAt: GUN, seed: 42 });
    const forward = times.map((t) => a.headcounts(at(t)));
    const backward = times
      .slice()
      .reverse()
      .map((t) => b.headcounts(at(t)))
      .reverse();
    expect(backward).toEqual(forward);
    const other = createMarathonRace({ startedAt: GUN, seed: 43 });
    expect(times.map((t) => other.headcounts(at(t)))).not.toEqual(forward);
  });

  it('never has more people on the course than runners, surges included', () => {
    const race = createMarathonRace({ startedAt: GUN, runners: 20000 });
    let most = 0;
    for (let t = 0; t <= RACE_WALL_SECONDS + 120; t += 1) most = Math.max(most, total(race, t));
    expect(most).toBeLessThanOrEqual(20000);
    expect(most).toBeGreaterThan(19000);
  });

  it('keeps the undisturbed flow between 50 % and 80 % of capacity at its peak, on every zone', () => {
    const race = createMarathonRace({ startedAt: GUN, autoSurges: false });
    const peak = new Array<number>(21).fill(0);
    for (let t = 0; t <= RACE_WALL_SECONDS; t += 1) {
      ratios(race, t).forEach((r, i) => (peak[i] = Math.max(peak[i], r)));
    }
    for (const r of peak) {
      expect(r).toBeGreaterThanOrEqual(0.5);
      expect(r).toBeLessThan(0.8);
    }
  });

  it('sizes MARATHON_CAPACITIES from the model (peak / 0.65, rounded to 50)', () => {
    expect(computePeakHeadcounts().map((p) => Math.round(p / 0.65 / 50) * 50)).toEqual(MARATHON_CAPACITIES);
  });

  it('loops: the next race repeats the last one', () => {
    const race = createMarathonRace({ startedAt: GUN, autoSurges: false });
    expect(race.headcounts(at(RACE_WALL_SECONDS + 333))).toEqual(race.headcounts(at(333)));
  });

  it('overflows a zone within 15 s of a forced surge and lets it drain afterwards', () => {
    const race = createMarathonRace({ startedAt: GUN, autoSurges: false });
    const zone = 6;
    const code = `GZM-0${zone + 1}`;
    const start = 330;
    expect(ratios(race, start)[zone]).toBeGreaterThan(0);
    const surge = race.forceSurge(code, at(start), { peakRatio: 1.2, holdSeconds: 70 });
    expect(race.activeSurges(at(start + 1)).map((s) => s.code)).toEqual([code]);
    expect(ratios(race, start + 5)[zone]).toBeGreaterThan(ratios(race, start)[zone]);
    for (let t = start + 10; t <= start + 10 + 70; t += 1) expect(ratios(race, t)[zone]).toBeGreaterThanOrEqual(1);
    const endsAfter = (surge.endsAt.getTime() - surge.startsAt.getTime()) / 1000;
    expect(endsAfter).toBe(10 + 70 + 30);
    expect(ratios(race, start + endsAfter - 2)[zone]).toBeLessThan(0.75);
    for (let t = start + endsAfter; t <= start + endsAfter + 120; t += 5) expect(ratios(race, t)[zone]).toBeLessThan(0.75);
    expect(race.activeSurges(at(start + endsAfter))).toEqual([]);
  });

  it('holds every automatic surge over capacity for its whole hold, then lets it drain', () => {
    const race = createMarathonRace({ startedAt: GUN });
    const seen = new Map<string, MarathonSurge>();
    for (let t = 0; t <= 3 * RACE_WALL_SECONDS; t += 2) {
      for (const s of race.activeSurges(at(t))) seen.set(`${s.code}@${s.startsAt.getTime()}`, s);
    }
    expect(seen.size).toBeGreaterThanOrEqual(12);
    const starts = [...seen.values()].map((s) => s.startsAt.getTime()).sort((a, b) => a - b);
    const gaps = starts.slice(1).map((t, i) => (t - starts[i]) / 1000);
    // Every 3–4 minutes; only around a restart, with the course nearly empty, can it take longer.
    expect(gaps.filter((g) => g >= 180 && g <= 240).length).toBeGreaterThanOrEqual(gaps.length - 3);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(480);
    for (const surge of seen.values()) {
      const zone = Number(surge.code.slice(4)) - 1;
      const start = (surge.startsAt.getTime() - GUN.getTime()) / 1000;
      const end = (surge.endsAt.getTime() - GUN.getTime()) / 1000;
      for (let t = Math.ceil(start + 10); t <= start + 10 + surge.holdSeconds; t += 1) {
        expect(ratios(race, t)[zone]).toBeGreaterThanOrEqual(1);
      }
      expect(ratios(race, Math.ceil(end))[zone]).toBeLessThan(0.75);
    }
  });

  it('rejects surges on zones that do not exist', () => {
    const race = createMarathonRace({ startedAt: GUN });
    expect(() => race.forceSurge('GZM-99', at(10))).toThrow(RangeError);
  });

  it('surges on its own within 5 minutes and every few minutes after that', () => {
    const race = createMarathonRace({ startedAt: GUN });
    const overflowAt: number[] = [];
    const codes = new Set<string>();
    for (let t = 0; t <= RACE_WALL_SECONDS; t += 1) {
      const r = ratios(race, t);
      if (r.some((x) => x >= 1)) overflowAt.push(t);
      for (const s of race.activeSurges(at(t))) codes.add(`${s.code}@${s.startsAt.toISOString()}`);
    }
    expect(overflowAt[0]).toBeLessThanOrEqual(300);
    expect(codes.size).toBeGreaterThanOrEqual(4);
    // Each surge holds over capacity for about a minute or more.
    const first = overflowAt[0];
    expect(overflowAt.filter((t) => t >= first && t < first + 140).length).toBeGreaterThanOrEqual(60);
    for (const surge of race.activeSurges(at(overflowAt[0]))) {
      expect(surge.forced).toBe(false);
      expect(surge.peakRatio).toBeGreaterThanOrEqual(1.05);
      expect(surge.peakRatio).toBeLessThanOrEqual(1.3);
      expect(surge.holdSeconds).toBeGreaterThanOrEqual(60);
      expect(surge.holdSeconds).toBeLessThanOrEqual(90);
    }
  });
});
