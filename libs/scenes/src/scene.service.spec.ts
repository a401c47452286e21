import type { SceneDefinition, SceneView } from '@cityops/contracts';
import { NotFoundError, ValidationError } from '@cityops/core';
import { type FeedCatalogService, FeedNotFoundError } from '@cityops/feeds';
import type { AreaService } from '@cityops/geo';
import type { MachineCredentialsService } from '@cityops/identity';
import type { IndicatorDefinition, IndicatorService } from '@cityops/indicators';
import type { SceneRepository } from './scene.repository';
import { SceneService } from './scene.service';

const indicator: IndicatorDefinition = {
  key: 'fair.load',
  name: '花市负荷',
  nameEn: null,
  theme: 'major_events',
  unit: 'ratio',
  format: { decimals: 0, percent: true },
  description: null,
  descriptionEn: null,
  grouping: { zoneSet: 'fair' },
  source: {
    kind: 'aggregate',
    feed: 'fair-gates',
    metric: 'headcount',
    windowSeconds: 600,
    perEntity: 'latest',
    across: 'sum',
    normalise: 'per_capacity',
  },
  thresholds: null,
  evaluateEverySeconds: null,
  enabled: true,
  reads: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const fits: SceneDefinition = {
  kind: 'event',
  focusAreaId: null,
  layers: [],
  kpis: [],
  cameras: null,
  cases: null,
  bounds: null,
  name: '迎春花市',
  nameEn: null,
  zoneSet: 'fair',
  indicatorKey: 'fair.load',
  feedKey: 'fair-gates',
  totalLabel: '在场人数',
  totalLabelEn: null,
  totalUnit: null,
  totalUnitEn: null,
  zoneLabel: '花街',
  zoneLabelEn: null,
  zoneUnit: null,
  zoneUnitEn: null,
  position: 0,
  enabled: true,
};

const notAnEvent = {
  zoneSet: null,
  indicatorKey: null,
  feedKey: null,
  totalLabel: null,
  zoneLabel: null,
} as const;

/** The catalogue this service checks against: zone sets fair and parade, one indicator, two feeds. */
function service() {
  const saved: SceneView[] = [];
  const repository = {
    upsert: (key: string, d: SceneDefinition) => Promise.resolve(saved[saved.push({ key, ...d }) - 1]),
    find: (key: string) => Promise.resolve(saved.findLast((s) => s.key === key) ?? null),
  };
  const areas = {
    zoneSets: () => Promise.resolve(['fair', 'parade'].map((key) => ({ key, name: key, nameEn: null, description: null, zones: 2 }))),
  };
  const indicators = { list: () => Promise.resolve([indicator]) };
  const known: Record<string, object> = {
    'fair-gates': { key: 'fair-gates', kind: 'observation', entityProfile: null },
    'fair-weather': { key: 'fair-weather', kind: 'observation', entityProfile: null },
    cams: { key: 'cams', kind: 'entity', entityProfile: 'camera' },
  };
  const feeds = {
    get: (key: string) => (known[key] ? Promise.resolve(known[key]) : Promise.reject(new FeedNotFoundError(key))),
  };
  const areasById = { get: (id: number) => (id === 7 ? Promise.resolve({ id }) : Promise.reject(new NotFoundError(`Area ${id}`))) };
  const credentials = { listDisplays: () => Promise.resolve([{ id: '00000000-0000-4000-8000-000000000001' }]) };
  const scenes = new SceneService(
    repository as unknown as SceneRepository,
    { ...areas, ...areasById } as unknown as AreaService,
    indicators as unknown as IndicatorService,
    feeds as unknown as FeedCatalogService,
    credentials as unknown as MachineCredentialsService,
  );
  return { scenes, saved };
}

async function issuesOf(promise: Promise<unknown>): Promise<{ path: string; message: string }[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ValidationError) return error.errors ?? [];
    throw error;
  }
  return [];
}

describe('SceneService.put (a scene must name things that exist and fit together)', () => {
  it.each([
    ['all references exist and fit', {}, []],
    ['no feed named: nothing to check for it', { feedKey: null }, []],
    ['an unknown zone set (not also called a misfit)', { zoneSet: 'nowhere' }, [{ path: 'zoneSet', message: 'no zone set nowhere' }]],
    [
      'an unknown indicator',
      { indicatorKey: 'no.such' },
      [{ path: 'indicatorKey', message: 'no indicator no.such (GET /api/indicators)' }],
    ],
    [
      'an indicator computed over another zone set',
      { zoneSet: 'parade' },
      [{ path: 'indicatorKey', message: 'indicator fair.load is computed over zone set fair' }],
    ],
    [
      'a feed that is not a source of the indicator',
      { feedKey: 'fair-weather' },
      [{ path: 'feedKey', message: 'feed fair-weather is not a source of indicator fair.load' }],
    ],
    ['an unknown feed', { feedKey: 'no-feed' }, [{ path: 'feedKey', message: 'no feed no-feed (GET /api/feeds)' }]],
    [
      'a district scene on an area that exists, its KPI and cameras there',
      {
        ...notAnEvent,
        kind: 'district',
        focusAreaId: 7,
        kpis: [{ indicatorKey: 'fair.load', areaId: 7, label: '负荷', labelEn: null }],
        cameras: { feedKey: 'cams', areaId: 7, count: 4 },
      },
      [],
    ],
    [
      'every missing or misfit reference of a theme scene, all at once',
      {
        ...notAnEvent,
        kind: 'theme',
        focusAreaId: 8,
        kpis: [{ indicatorKey: 'no.such', areaId: 9, label: '负荷', labelEn: null }],
        cameras: { feedKey: 'fair-gates', areaId: null, count: 4 },
      },
      [
        { path: 'focusAreaId', message: 'no area 8 (GET /api/areas)' },
        { path: 'kpis.0.indicatorKey', message: 'no indicator no.such (GET /api/indicators)' },
        { path: 'kpis.0.areaId', message: 'no area 9 (GET /api/areas)' },
        { path: 'cameras.feedKey', message: 'feed fair-gates is not a camera feed (entityProfile camera)' },
      ],
    ],
  ] as const)('%s', async (_name, change, expected) => {
    const { scenes, saved } = service();
    expect(await issuesOf(scenes.put('fair-wall', { ...fits, ...change } as SceneDefinition))).toEqual(expected);
    expect(saved).toHaveLength(expected.length === 0 ? 1 : 0);
  });

  it('adds the issues its caller found (the layer keys) to its own, in one answer', async () => {
    const { scenes, saved } = service();
    expect(await issuesOf(scenes.put('fair-wall', { ...fits, zoneSet: 'nowhere' }, [{ path: 'layers.0', message: 'no feed x' }]))).toEqual([
      { path: 'zoneSet', message: 'no zone set nowhere' },
      { path: 'layers.0', message: 'no feed x' },
    ]);
    expect(saved).toHaveLength(0);
  });
});
