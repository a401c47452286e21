import { describe, expect, it } from '@jest/globals';
import { sceneDefinitionSchema, type SceneView } from '@cityops/contracts';
import { ApiError } from '../../api/client';
import {
  EMPTY_SCENE_FORM,
  fieldOfPath,
  moved,
  onSceneFields,
  sceneDefinition,
  sceneFormValues,
  sceneProblems,
  wallPreviewHref,
} from './scene-form';

const NO_EVENT = {
  zoneSet: null,
  indicatorKey: null,
  feedKey: null,
  totalLabel: null,
  totalLabelEn: null,
  totalUnit: null,
  totalUnitEn: null,
  zoneLabel: null,
  zoneLabelEn: null,
  zoneUnit: null,
  zoneUnitEn: null,
};

/** One saved scene of each kind, as `GET /api/scenes` answers them. */
const SCENES: Record<SceneView['kind'], SceneView> = {
  overview: {
    key: 'gz-overview',
    kind: 'overview',
    name: '城市运行总览',
    nameEn: 'City overview',
    ...NO_EVENT,
    focusAreaId: null,
    layers: [],
    kpis: [{ indicatorKey: 'city.vital-index', areaId: 1, label: '城市运行指数', labelEn: 'City vital index' }],
    cameras: null,
    cases: null,
    bounds: null,
    position: 10,
    enabled: true,
  },
  event: {
    key: 'gz-marathon',
    kind: 'event',
    name: '广州马拉松 · 实时人流',
    nameEn: 'Guangzhou Marathon',
    zoneSet: 'gz-marathon',
    indicatorKey: 'crowd.marathon-load',
    feedKey: 'marathon-crowd',
    totalLabel: '在场人数',
    totalLabelEn: 'On the course',
    totalUnit: '人',
    totalUnitEn: null,
    zoneLabel: '赛段',
    zoneLabelEn: 'segments',
    zoneUnit: '段',
    zoneUnitEn: null,
    focusAreaId: null,
    layers: ['zones-gz-marathon'],
    kpis: [],
    cameras: null,
    cases: null,
    bounds: [
      [113.2, 23.05],
      [113.45, 23.2],
    ],
    position: 0,
    enabled: true,
  },
  theme: {
    key: 'gz-flood',
    kind: 'theme',
    name: '防汛 · 积水与降雨',
    nameEn: null,
    ...NO_EVENT,
    focusAreaId: null,
    layers: ['heat-rain-gauges~rainfall', 'heat-waterlogging~depth'],
    kpis: [
      { indicatorKey: 'rain.hourly', areaId: null, label: '小时降雨量', labelEn: null },
      { indicatorKey: 'water.depth', areaId: 1, label: '最大积水深度', labelEn: 'Deepest water' },
    ],
    cameras: null,
    cases: null,
    bounds: null,
    position: 20,
    enabled: false,
  },
  district: {
    key: 'gz-tianhe',
    kind: 'district',
    name: '天河区 · 区域态势',
    nameEn: 'Tianhe District',
    ...NO_EVENT,
    focusAreaId: 6,
    layers: ['areas-street'],
    kpis: [],
    cameras: { feedKey: 'cameras', areaId: 6, count: 4 },
    cases: null,
    bounds: null,
    position: 30,
    enabled: true,
  },
};

describe('scene form ↔ body of PUT /api/scenes/:key', () => {
  it.each(Object.values(SCENES))('round-trips a saved $kind scene: the editor sends back what it was given', (scene) => {
    const { key, ...definition } = scene;
    const values = sceneFormValues(scene);
    expect(values.key).toBe(key);
    expect(sceneDefinition(values)).toEqual(definition);
    // And the API's own schema takes it as it is.
    expect(sceneDefinitionSchema.parse(sceneDefinition(values))).toEqual(definition);
  });

  it('sends the cases panel when it is on, with its area or none, and no panel when it is off', () => {
    const base = sceneFormValues(SCENES.district);
    expect(sceneDefinition({ ...base, casesOn: true, casesAreaId: 6 }).cases).toEqual({ areaId: 6 });
    expect(sceneDefinition({ ...base, casesOn: true, casesAreaId: null }).cases).toEqual({ areaId: null });
    expect(sceneDefinition({ ...base, casesOn: false, casesAreaId: 6 }).cases).toBeNull();
    expect(sceneFormValues({ ...SCENES.district, cases: { areaId: 6 } })).toMatchObject({ casesOn: true, casesAreaId: 6 });
  });

  it('drops the event’s fields and the focus area when the kind no longer has them', () => {
    const values = { ...sceneFormValues(SCENES.event), kind: 'district' as const, focusAreaId: 6 };
    expect(sceneDefinition(values)).toMatchObject({ ...NO_EVENT, focusAreaId: 6 });
    expect(sceneDefinition({ ...sceneFormValues(SCENES.district), kind: 'theme' })).toMatchObject({ focusAreaId: null });
  });

  it('writes a new theme scene with trimmed text, null for empty optional text, and no cameras or bounds', () => {
    const body = sceneDefinition({
      ...EMPTY_SCENE_FORM,
      key: 'flood-watch',
      name: ' 防汛 ',
      layers: ['heat-rain-gauges~rainfall'],
      kpis: [{ indicatorKey: 'rain.hourly', areaId: null, label: ' 降雨 ', labelEn: ' ' }],
    });
    expect(body).toEqual({
      kind: 'theme',
      name: '防汛',
      nameEn: null,
      ...NO_EVENT,
      focusAreaId: null,
      layers: ['heat-rain-gauges~rainfall'],
      kpis: [{ indicatorKey: 'rain.hourly', areaId: null, label: '降雨', labelEn: null }],
      cameras: null,
      cases: null,
      bounds: null,
      position: 0,
      enabled: true,
    });
  });

  it('sends numbers typed wrongly as typed, so that the server’s 400 names the field', () => {
    const body = sceneDefinition({
      ...EMPTY_SCENE_FORM,
      name: 'x',
      position: '1a',
      camerasOn: true,
      camerasFeedKey: 'cams',
      camerasCount: 'four',
    });
    expect(body.position).toBe('1a');
    expect(body.cameras).toEqual({ feedKey: 'cams', areaId: null, count: 'four' });
  });
});

describe('sceneProblems: what is refused before sending', () => {
  it('asks an event for its zone set, indicator and words, and a district for its area', () => {
    expect(sceneProblems({ ...EMPTY_SCENE_FORM, kind: 'event', key: 'e', name: 'E' }, true).map((p) => p.field)).toEqual([
      'zoneSet',
      'indicatorKey',
      'totalLabel',
      'zoneLabel',
    ]);
    expect(sceneProblems({ ...EMPTY_SCENE_FORM, kind: 'district', key: 'd', name: 'D' }, true)).toEqual([
      { field: 'focusAreaId', problem: 'required' },
    ]);
  });

  it('asks for the key only when creating, and checks KPI rows, camera count, position and bounds', () => {
    const problems = sceneProblems(
      {
        ...EMPTY_SCENE_FORM,
        name: 'T',
        kpis: [{ indicatorKey: 'a', areaId: null, label: '', labelEn: '' }],
        camerasOn: true,
        camerasFeedKey: 'cams',
        camerasCount: '13',
        position: '-1',
        bounds: ['113.5', '23', '113.2', '23.2'],
      },
      false,
    );
    expect(problems).toEqual([
      { field: 'kpi0', problem: 'required' },
      { field: 'camerasCount', problem: 'range', params: { min: 1, max: 12 } },
      { field: 'position', problem: 'range', params: { min: 0, max: 1_000_000 } },
      { field: 'bounds', problem: 'bounds' },
    ]);
  });

  it('leaves references and key patterns to the server (a layer key it cannot know is accepted here)', () => {
    expect(sceneProblems({ ...EMPTY_SCENE_FORM, key: 'Not A Key', name: 'T', layers: ['Bad Layer!'] }, true)).toEqual([]);
  });
});

describe('server errors on the editor’s fields', () => {
  it.each([
    ['layers.1', 'layer1'],
    ['layers', 'layers'],
    ['kpis.0.indicatorKey', 'kpi0'],
    ['kpis.5.areaId', 'kpi5'],
    ['kpis', 'kpis'],
    ['cameras.feedKey', 'camerasFeedKey'],
    ['cameras.count', 'camerasCount'],
    ['cameras', 'cameras'],
    ['cases.areaId', 'casesAreaId'],
    ['cases', 'cases'],
    ['bounds.1.0', 'bounds'],
    ['focusAreaId', 'focusAreaId'],
    ['zoneSet', 'zoneSet'],
    ['(root)', null],
  ])('%s → %s', (path, field) => {
    expect(fieldOfPath(path)).toBe(field);
  });

  it('renames the paths of a 400 and leaves other failures alone', () => {
    const failure = new ApiError({
      type: 'urn:cityops:problem:validation_failed',
      title: 'Validation failed',
      status: 400,
      errors: [{ path: 'layers.0', message: 'not a layer key of GET /api/layers' }],
    });
    const renamed = onSceneFields(failure) as ApiError;
    expect(renamed.problem.errors).toEqual([{ path: 'layer0', message: 'not a layer key of GET /api/layers' }]);
    const other = new Error('boom');
    expect(onSceneFields(other)).toBe(other);
  });
});

describe('helpers', () => {
  it('moves a row up or down, and not past an end', () => {
    expect(moved(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
  });

  it('links the wall holding one scene', () => {
    expect(wallPreviewHref('gz flood')).toBe('/wall?scene=gz%20flood');
  });
});
