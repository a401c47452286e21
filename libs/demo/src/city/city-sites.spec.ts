import { DEMO_DISTRICTS } from '../demo-city.districts';
import { generateDemoCity } from '../demo-city.generator';
import { DEFAULT_DEMO_SEED } from '../seeded-random';
import { CITY_SITE_COUNTS, generateCitySites, insideRing, placeCitySites, type CitySite, type DemoCitySites } from './city-sites';

/** The default CITY_BOUNDS (.env.example): ingest rejects records located outside. */
const CITY_BOUNDS = [112.9, 22.5, 114.1, 24.0];

describe('generateCitySites', () => {
  const sites = generateCitySites(DEFAULT_DEMO_SEED);
  const all: CitySite[] = (Object.values(sites) as CitySite[][]).flat();
  const areas = new Map(generateDemoCity(DEFAULT_DEMO_SEED).map((a) => [a.code, a]));
  const ring = (code: string) => areas.get(code)!.geometry.coordinates[0][0];

  it.each(Object.entries(CITY_SITE_COUNTS))('places %s in the numbers of the issue (%i)', (kind, count) => {
    expect(sites[kind as keyof DemoCitySites]).toHaveLength(count);
  });

  it('gives every site a unique, stable entity id and a name in both languages', () => {
    expect(new Set(all.map((s) => s.id)).size).toBe(all.length);
    for (const site of all) {
      expect(site.id).toMatch(/^(aq|rd|rg|wl|tc|mt|er)-\d{6}-\d{2,3}$/);
      expect(site.name).toMatch(/^\p{Script=Han}/u);
      expect(site.nameEn).toMatch(/^[A-Z]/);
    }
    expect(sites.airStations[0]).toMatchObject({ id: 'aq-440103-01', name: '荔湾区空气质量监测站01', nameEn: 'Liwan air station 01' });
  });

  it('is the same for the same seed and different for another', () => {
    const again = placeCitySites(DEFAULT_DEMO_SEED);
    expect(again).not.toBe(sites);
    expect(again).toEqual(sites);
    const other = placeCitySites(DEFAULT_DEMO_SEED + 1);
    expect(other.airStations.map((s) => s.id)).toEqual(sites.airStations.map((s) => s.id));
    expect(other.airStations.map((s) => s.location)).not.toEqual(sites.airStations.map((s) => s.location));
  });

  it('puts every site inside its grid, its grid inside its district, and both inside the city bounds', () => {
    for (const site of all) {
      const grid = areas.get(site.gridCode);
      expect(grid?.level).toBe('grid');
      expect(site.gridCode.startsWith(site.districtCode)).toBe(true);
      expect([site.id, insideRing(ring(site.gridCode), site.location)]).toEqual([site.id, true]);
      expect([site.id, insideRing(ring(site.districtCode), site.location)]).toEqual([site.id, true]);
      const [lon, lat] = site.location;
      expect(lon > CITY_BOUNDS[0] && lon < CITY_BOUNDS[2] && lat > CITY_BOUNDS[1] && lat < CITY_BOUNDS[3]).toBe(true);
    }
  });

  it('gives every district at least one site of every kind, so every district has every vital sign', () => {
    for (const [kind, list] of Object.entries(sites) as [string, CitySite[]][]) {
      const districts = new Set(list.map((s) => s.districtCode));
      expect([kind, DEMO_DISTRICTS.filter((d) => !districts.has(d.code)).map((d) => d.code)]).toEqual([kind, []]);
    }
  });

  it('puts more stations where more people live and more cranes in the new towns', () => {
    const count = (list: CitySite[], code: string) => list.filter((s) => s.districtCode === code).length;
    // Baiyun (3.7 M people) against Conghua (0.7 M).
    expect(count(sites.metroStations, '440111')).toBeGreaterThan(count(sites.metroStations, '440117'));
    // Huangpu (a new town) against Yuexiu (the old city), roughly as populous.
    expect(count(sites.cranes, '440112')).toBeGreaterThan(count(sites.cranes, '440104'));
  });

  it('draws site traits in sensible ranges', () => {
    for (const link of sites.roadLinks) expect(link.freeFlowKmh).toBeGreaterThanOrEqual(31);
    for (const link of sites.roadLinks) expect(link.freeFlowKmh).toBeLessThanOrEqual(83);
    expect(new Set(sites.roadLinks.map((l) => l.roadClass))).toEqual(new Set(['expressway', 'arterial', 'secondary']));
    for (const station of sites.metroStations) expect(station.capacityPer5Min).toBeGreaterThan(0);
    for (const point of sites.waterloggingPoints) expect(point.drainMinutes).toBeGreaterThan(0);
  });
});
