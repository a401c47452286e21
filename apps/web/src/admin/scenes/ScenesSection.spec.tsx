import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { FeedDefinition, IndicatorDefinitionView, LayerView, PlaylistView, SceneView } from '@cityops/contracts';
import { setLang } from '../../i18n';
import { FakeApi } from '../../testing/fake-api';
import { settle } from '../../testing/timers';
import { AreaDirectoryProvider } from '../scope/AreaDirectory';
import { answerAreaRequests, LIWAN } from '../testing/demo-areas';
import { ScenesSection } from './ScenesSection';

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

const OVERVIEW: SceneView = {
  key: 'gz-overview',
  kind: 'overview',
  name: '城市运行总览',
  nameEn: 'City overview',
  ...NO_EVENT,
  focusAreaId: null,
  layers: [],
  kpis: [{ indicatorKey: 'city.index', areaId: null, label: '城市运行指数', labelEn: 'City index' }],
  cameras: null,
  cases: null,
  bounds: null,
  position: 10,
  enabled: true,
};

const DISTRICT: SceneView = {
  ...OVERVIEW,
  key: 'gz-liwan',
  kind: 'district',
  name: '荔湾区 · 区域态势',
  nameEn: 'Liwan District',
  focusAreaId: LIWAN.id,
  layers: ['areas-street'],
  kpis: [],
  cameras: { feedKey: 'cameras', areaId: LIWAN.id, count: 6 },
  cases: null,
  position: 30,
  enabled: false,
};

const DEFAULT: PlaylistView = {
  key: 'default',
  name: '演示轮播',
  entries: [
    { scene: 'gz-overview', dwellSeconds: 60 },
    { scene: 'gz-liwan', dwellSeconds: 30 },
  ],
  displayId: null,
  interruptOnCritical: true,
  holdSeconds: null,
  updatedAt: '2026-11-30T08:00:00Z',
};

const LAYERS = [
  { key: 'areas-street', name: '街道', nameEn: 'Streets', kind: 'vector' },
  { key: 'heat-rain~rainfall', name: '降雨热力', nameEn: 'Rain heat', kind: 'vector' },
  {
    key: 'zones-gz-marathon',
    name: '马拉松赛段',
    nameEn: 'Marathon segments',
    kind: 'geojson',
    zoneSet: 'gz-marathon',
    url: '',
    indicator: null,
    scene: null,
  },
] as unknown as LayerView[];

const INDICATORS = [
  { key: 'city.index', name: '城市运行指数', nameEn: 'City index', grouping: { levels: ['city'] } },
  { key: 'crowd.marathon-load', name: '赛段负荷', nameEn: 'Segment load', grouping: { zoneSet: 'gz-marathon' } },
] as unknown as IndicatorDefinitionView[];

const FEEDS = [
  { key: 'marathon-crowd', name: '马拉松客流', nameEn: null, kind: 'observation', entityProfile: null },
  { key: 'cameras', name: '视频监控', nameEn: 'Cameras', kind: 'entity', entityProfile: 'camera' },
] as unknown as FeedDefinition[];

const validationFailed = (errors: { path: string; message: string }[]) => ({
  type: 'urn:cityops:problem:validation_failed',
  title: 'Validation failed',
  status: 400,
  errors,
});

describe('ScenesSection', () => {
  let api: FakeApi;

  beforeEach(() => {
    jest.useFakeTimers();
    setLang('zh');
    api = new FakeApi().install();
  });
  afterEach(() => {
    api.uninstall();
    jest.useRealTimers();
  });

  async function renderSection(scenes: SceneView[] = [OVERVIEW, DISTRICT], playlists: PlaylistView[] = [DEFAULT]) {
    render(
      <AreaDirectoryProvider>
        <ScenesSection />
      </AreaDirectoryProvider>,
    );
    api.only('/api/scenes').reply(200, scenes);
    api.only('/api/playlists').reply(200, playlists);
    await settle();
  }

  /** The editor's catalogs: layers, indicators, feeds (and the areas, once an area field shows). */
  async function answerCatalogs() {
    // The area finder asks the catalog too (for zone sets): every pending ask gets the same list.
    for (const request of api.pending('/api/layers')) request.reply(200, LAYERS);
    api.only('/api/indicators').reply(200, INDICATORS);
    api.only('/api/feeds').reply(200, FEEDS);
    await settle();
    answerAreaRequests(api);
    await settle();
  }

  function change(form: HTMLElement, name: string, value: string) {
    fireEvent.change(form.querySelector(`[name="${name}"]`)!, { target: { value } });
  }

  it('lists the scenes in the wall’s order with kind, names, counts and a wall preview, and the rotations with their stops', async () => {
    await renderSection();
    const rows = screen.getAllByTestId('scene-row');
    expect(rows.map((r) => r.dataset.key)).toEqual(['gz-overview', 'gz-liwan']);
    const [overview, district] = rows;
    expect(overview.textContent).toContain('城市总览');
    expect(overview.textContent).toContain('City overview');
    expect(within(overview).getByTestId('scene-kpi-count').textContent).toBe('1');
    expect(within(district).getByTestId('scene-layer-count').textContent).toBe('1');
    expect(within(district).getByTestId('scene-camera-count').textContent).toBe('6');
    expect(district.dataset.enabled).toBe('false');
    expect(district.textContent).toContain('停用');
    expect(within(overview).getByTestId('scene-preview').getAttribute('href')).toBe('/wall?scene=gz-overview');

    const playlist = screen.getAllByTestId('playlist-row')[0];
    expect(
      within(playlist)
        .getAllByTestId('playlist-stop')
        .map((s) => s.textContent),
    ).toEqual(['城市运行总览60 秒', '荔湾区 · 区域态势30 秒已停用，跳过']);
    expect(within(playlist).getByTestId('playlist-display').textContent).toBe('所有未单独设置的大屏');

    act(() => setLang('en'));
    expect(screen.getAllByTestId('scene-row')[0].textContent).toContain('City overview');
    expect(screen.getAllByTestId('scene-preview')[0].textContent).toBe('Preview on wall');
  });

  it('creates a theme scene with a layer of the catalog and a KPI tile, PUT to its key', async () => {
    await renderSection();
    fireEvent.click(screen.getByTestId('scene-create'));
    await answerCatalogs();
    const form = screen.getByTestId('scene-form');
    expect(form.querySelector('[data-testid="scene-event-fields"]')).toBeNull();
    change(form, 'key', 'flood-watch');
    change(form, 'name', '防汛');
    change(form, 'layerToAdd', 'heat-rain~rainfall');
    fireEvent.click(screen.getByTestId('scene-add-layer'));
    fireEvent.click(screen.getByTestId('scene-kpi-add'));
    change(form, 'kpis.0.indicatorKey', 'city.index');
    change(form, 'kpis.0.label', '运行指数');
    expect(screen.getAllByTestId('scene-layer').map((l) => l.textContent)).toEqual(['降雨热力heat-rain~rainfall上移下移移除']);
    fireEvent.click(screen.getByTestId('scene-form-submit'));

    const request = api.only('/api/scenes/flood-watch');
    expect(request.method).toBe('PUT');
    expect(request.body).toEqual({
      kind: 'theme',
      name: '防汛',
      nameEn: null,
      ...NO_EVENT,
      focusAreaId: null,
      layers: ['heat-rain~rainfall'],
      kpis: [{ indicatorKey: 'city.index', areaId: null, label: '运行指数', labelEn: null }],
      cameras: null,
      cases: null,
      bounds: null,
      position: 0,
      enabled: true,
    });
    request.reply(200, { ...OVERVIEW, key: 'flood-watch', kind: 'theme', name: '防汛' });
    await settle();
    expect(screen.getByTestId('admin-notice').textContent).toBe('已新建场景“防汛”');
  });

  it('shows the server’s refusal on the fields it names: a typed layer key, a KPI tile’s indicator', async () => {
    await renderSection();
    fireEvent.click(screen.getByTestId('scene-create'));
    await answerCatalogs();
    const form = screen.getByTestId('scene-form');
    change(form, 'key', 'bad-layer');
    change(form, 'name', '坏图层');
    change(form, 'otherLayer', 'Not A Layer');
    fireEvent.click(screen.getByTestId('scene-add-other-layer'));
    fireEvent.click(screen.getByTestId('scene-kpi-add'));
    change(form, 'kpis.0.indicatorKey', 'city.index');
    change(form, 'kpis.0.label', '指数');
    fireEvent.click(screen.getByTestId('scene-form-submit'));
    api.only('/api/scenes/bad-layer').reply(
      400,
      validationFailed([
        { path: 'layers.0', message: 'not a layer key of GET /api/layers' },
        { path: 'kpis.0.indicatorKey', message: 'no indicator city.index (GET /api/indicators)' },
      ]),
    );
    await settle();
    const layer = screen.getAllByTestId('scene-layer')[0];
    expect(layer.dataset.key).toBe('Not A Layer');
    expect(within(layer).getByTestId('field-error').textContent).toBe('不是图层标识（见图层目录）');
    const kpi = screen.getAllByTestId('scene-kpi-row')[0];
    expect(within(kpi).getByTestId('field-error').textContent).toBe('没有指标 city.index');
    expect(kpi.querySelector('[name="kpis.0.indicatorKey"]')!.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('form-problem').textContent).toContain('请按标出的提示修改');
    act(() => setLang('en'));
    expect(within(screen.getAllByTestId('scene-layer')[0]).getByTestId('field-error').textContent).toBe(
      'Not a layer key (see the layer catalog)',
    );
  });

  it('shows the event’s fields only for an event, offering the indicators of the chosen zone set', async () => {
    await renderSection();
    fireEvent.click(screen.getByTestId('scene-create'));
    await answerCatalogs();
    const form = screen.getByTestId('scene-form');
    change(form, 'kind', 'event');
    expect(screen.getByTestId('scene-event-fields')).toBeTruthy();
    change(form, 'zoneSet', 'gz-marathon');
    const options = [...form.querySelectorAll<HTMLOptionElement>('[name="indicatorKey"] option')].map((o) => o.value);
    expect(options).toEqual(['', 'crowd.marathon-load']);
    change(form, 'key', 'race');
    change(form, 'name', '赛事');
    fireEvent.click(screen.getByTestId('scene-form-submit'));
    // Refused here: no indicator and no words yet; nothing sent.
    expect(api.count('/api/scenes/race')).toBe(0);
    for (const name of ['indicatorKey', 'totalLabel', 'zoneLabel']) {
      expect(form.querySelector(`[name="${name}"]`)!.getAttribute('aria-invalid')).toBe('true');
    }
  });

  it('refuses a new scene whose key is taken (PUT would replace that scene)', async () => {
    await renderSection();
    fireEvent.click(screen.getByTestId('scene-create'));
    await answerCatalogs();
    const form = screen.getByTestId('scene-form');
    change(form, 'key', 'gz-overview');
    change(form, 'name', '重复');
    fireEvent.click(screen.getByTestId('scene-form-submit'));
    expect(api.count('/api/scenes/gz-overview')).toBe(0);
    expect(form.textContent).toContain('这个标识已被使用');
  });

  it('edits a district scene with its area shown by name, and keeps its cameras', async () => {
    await renderSection();
    fireEvent.click(screen.getAllByTestId('scene-edit')[1]);
    await answerCatalogs();
    const form = screen.getByTestId('scene-form');
    expect(form.querySelector<HTMLInputElement>('[name="key"]')!.disabled).toBe(true);
    expect(within(screen.getByTestId('scene-focus-area')).getByText('荔湾区')).toBeTruthy();
    fireEvent.click(form.querySelector('[name="enabled"]')!);
    fireEvent.click(screen.getByTestId('scene-form-submit'));
    const request = api.only('/api/scenes/gz-liwan');
    expect(request.body).toMatchObject({
      focusAreaId: LIWAN.id,
      cameras: { feedKey: 'cameras', areaId: LIWAN.id, count: 6 },
      cases: null,
      enabled: true,
    });
  });

  it('asks before deleting a scene a rotation lists, and says the rotation will skip it', async () => {
    await renderSection();
    const district = screen.getAllByTestId('scene-row')[1];
    fireEvent.click(within(district).getByTestId('scene-delete'));
    expect(district.textContent).toContain('轮播“演示轮播”仍列有该场景，删除后轮播将跳过它');
    fireEvent.click(within(district).getByTestId('scene-delete-confirm'));
    const request = api.only('/api/scenes/gz-liwan');
    expect(request.method).toBe('DELETE');
    request.reply(200, DISTRICT);
    await settle();
    expect(screen.getByTestId('admin-notice').textContent).toBe(
      '已删除场景“荔湾区 · 区域态势”；轮播“演示轮播”仍列有它，大屏会跳过，可编辑轮播将其移除',
    );
  });

  it('edits the default rotation: a stop moved up, a stop added, a hold time; the display stays none', async () => {
    await renderSection();
    fireEvent.click(screen.getByTestId('playlist-edit'));
    api.only('/api/displays').reply(200, []);
    await settle();
    const form = screen.getByTestId('playlist-form');
    expect(form.querySelector<HTMLSelectElement>('[name="displayId"]')!.disabled).toBe(true);
    const second = screen.getAllByTestId('playlist-entry')[1];
    fireEvent.click(within(second).getByText('上移'));
    fireEvent.click(screen.getByTestId('playlist-entry-add'));
    change(form, 'entries.2.scene', 'gz-overview');
    change(form, 'entries.2.dwellSeconds', '15');
    change(form, 'holdSeconds', '300');
    fireEvent.click(screen.getByTestId('playlist-form-submit'));
    const request = api.only('/api/playlists/default');
    expect(request.method).toBe('PUT');
    expect(request.body).toEqual({
      name: '演示轮播',
      entries: [
        { scene: 'gz-liwan', dwellSeconds: 30 },
        { scene: 'gz-overview', dwellSeconds: 60 },
        { scene: 'gz-overview', dwellSeconds: 15 },
      ],
      displayId: null,
      interruptOnCritical: true,
      holdSeconds: 300,
    });
    request.reply(400, validationFailed([{ path: 'entries.1.scene', message: 'no scene gz-overview (GET /api/scenes)' }]));
    await settle();
    const entry = screen.getAllByTestId('playlist-entry')[1];
    expect(within(entry).getByTestId('field-error').textContent).toBe('没有场景 gz-overview');
  });

  it('refuses a stop’s dwell time out of range before sending', async () => {
    await renderSection();
    fireEvent.click(screen.getByTestId('playlist-create'));
    api.only('/api/displays').reply(200, []);
    await settle();
    const form = screen.getByTestId('playlist-form');
    change(form, 'key', 'lobby');
    change(form, 'name', '大厅');
    change(form, 'entries.0.scene', 'gz-overview');
    change(form, 'entries.0.dwellSeconds', '2');
    fireEvent.click(screen.getByTestId('playlist-form-submit'));
    expect(api.count('/api/playlists/lobby')).toBe(0);
    expect(within(screen.getAllByTestId('playlist-entry')[0]).getByTestId('field-error').textContent).toBe('须为 5–3600 之间的整数');
  });
});
