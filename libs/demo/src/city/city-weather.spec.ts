import { distanceKm } from '../convex-polygon';
import { DEFAULT_DEMO_SEED } from '../seeded-random';
import { RAIN_GAUGE_FEED, TOWER_CRANE_FEED, WATERLOGGING_FEED } from './city-feeds';
import { generateCitySites } from './city-sites';
import { rainfallMm, STORM_SLOT_SECONDS, stormCentre, stormOfSlot, stormsBetween, windSpeed, type StormCell } from './city-weather';

const seed = DEFAULT_DEMO_SEED;
const sites = generateCitySites(seed);
const from = new Date('2026-11-22T16:00:00Z');
const DAYS = 5;
const storms = stormsBetween(seed, from, new Date(from.getTime() + DAYS * 86400_000));
const minutes = (at: Date, m: number): Date => new Date(at.getTime() + m * 60_000);
const middle = (s: StormCell): Date => new Date((s.startsAt.getTime() + s.endsAt.getTime()) / 2);
const deepest = (at: Date): number => Math.max(...WATERLOGGING_FEED.readings(sites, seed, at).map((r) => r.values.depth));

describe('storms', () => {
  it('come now and then: a few a day, each 20–40 minutes, never two at once', () => {
    expect(storms.length).toBeGreaterThanOrEqual(DAYS * 2);
    expect(storms.length).toBeLessThanOrEqual(DAYS * 10);
    for (const s of storms) {
      const length = (s.endsAt.getTime() - s.startsAt.getTime()) / 60_000;
      expect(length).toBeGreaterThanOrEqual(20);
      expect(length).toBeLessThanOrEqual(40);
    }
    for (let i = 1; i < storms.length; i++) expect(storms[i].startsAt.getTime()).toBeGreaterThan(storms[i - 1].endsAt.getTime());
  });

  it('are the same for the same seed and slot, and differ for another seed', () => {
    const slot = Math.floor(storms[0].startsAt.getTime() / 1000 / STORM_SLOT_SECONDS);
    expect(stormOfSlot(seed, slot)).toEqual(storms[0]);
    const others = stormsBetween(seed + 1, from, new Date(from.getTime() + DAYS * 86400_000));
    expect(others.map((s) => s.startsAt.getTime())).not.toEqual(storms.map((s) => s.startsAt.getTime()));
  });

  it('leave the city dry between them: no rain, no standing water', () => {
    // Two hours after a storm, before the next one starts.
    const quiet = storms.find(
      (s, i) => storms[i + 1] === undefined || storms[i + 1].startsAt.getTime() - s.endsAt.getTime() > 2.5 * 3600_000,
    )!;
    const at = minutes(quiet.endsAt, 125);
    expect(RAIN_GAUGE_FEED.readings(sites, seed, at).every((r) => r.values.rainfall === 0)).toBe(true);
    expect(deepest(at)).toBe(0);
  });

  it('rain over a few districts, not the whole city', () => {
    for (const storm of storms) {
      const wet = new Set(
        sites.rainGauges.filter((g) => rainfallMm(seed, g.location, middle(storm), 60) >= 0.2).map((g) => g.districtCode),
      );
      expect(wet.size).toBeLessThanOrEqual(6);
    }
    const rainedOn = storms.filter((storm) => sites.rainGauges.some((g) => rainfallMm(seed, g.location, middle(storm), 60) >= 0.2));
    expect(rainedOn.length).toBeGreaterThan(storms.length / 2);
  });

  it('rain hardest near their centre', () => {
    const storm = storms.reduce((a, b) => (b.peakMmPerHour > a.peakMmPerHour ? b : a));
    const at = middle(storm);
    const centre = stormCentre(storm, at);
    const byDistance = sites.rainGauges.slice().sort((a, b) => distanceKm(a.location, centre) - distanceKm(b.location, centre));
    expect(rainfallMm(seed, byDistance[0].location, at, 60)).toBeGreaterThan(
      rainfallMm(seed, byDistance[byDistance.length - 1].location, at, 60),
    );
  });

  it('flood a few waterlogging points in the strong ones, which then drain', () => {
    const flooded = storms.filter((storm) => deepest(minutes(storm.endsAt, 5)) >= 15);
    expect(flooded.length).toBeGreaterThan(0);
    for (const storm of flooded) {
      const points = WATERLOGGING_FEED.readings(sites, seed, minutes(storm.endsAt, 5)).filter((r) => r.values.depth >= 15);
      // A few, not the whole city.
      expect(points.length).toBeLessThanOrEqual(12);
      // Dry before it, draining after it, gone within two hours.
      expect(deepest(minutes(storm.startsAt, -1))).toBe(0);
      expect(deepest(minutes(storm.endsAt, 45))).toBeLessThan(deepest(minutes(storm.endsAt, 5)));
      expect(deepest(minutes(storm.endsAt, 120))).toBeLessThan(1);
    }
  });

  it('bring squalls to the cranes under them', () => {
    const storm = storms.reduce((a, b) => (b.peakMmPerHour > a.peakMmPerHour ? b : a));
    const at = middle(storm);
    const centre = stormCentre(storm, at);
    const near = sites.cranes.slice().sort((a, b) => distanceKm(a.location, centre) - distanceKm(b.location, centre))[0];
    expect(windSpeed(seed, near.districtCode, near.location, at)).toBeGreaterThan(
      windSpeed(seed, near.districtCode, near.location, minutes(storm.startsAt, -30)),
    );
  });
});

describe('crane wind', () => {
  it('gusts now and then: over a day some district passes Beaufort 6 (10.8 m/s), most of the time none does', () => {
    let gusty = 0;
    const samples = 144;
    for (let i = 0; i < samples; i++) {
      const at = new Date(from.getTime() + i * 600_000);
      if (TOWER_CRANE_FEED.readings(sites, seed, at).some((r) => r.values.wind >= 10.8)) gusty++;
    }
    expect(gusty).toBeGreaterThan(0);
    expect(gusty).toBeLessThan(samples / 2);
  });
});
