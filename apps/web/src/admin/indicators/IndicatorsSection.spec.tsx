import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { FeedDefinition, IndicatorDefinitionView, IndicatorPreview, LayerView } from '@cityops/contracts';
import { setLang } from '../../i18n';
import { FakeApi } from '../../testing/fake-api';
import { settle } from '../../testing/timers';
import { IndicatorsSection } from './IndicatorsSection';

const STAMP = '2026-11-29T08:00:00Z';

function indicator(patch: Partial<IndicatorDefinitionView>): IndicatorDefinitionView {
  return {
    key: 'crowd.marathon-load',
    name: '赛段负荷',
    nameEn: 'Segment load',
    theme: 'emergency',
    unit: null,
    format: { decimals: 0, percent: true },
    description: null,
    descriptionEn: null,
    grouping: { zoneSet: 'gz-marathon' },
    source: {
      kind: 'aggregate',
      feed: 'marathon-crowd',
      metric: 'headcount',
      windowSeconds: 120,
      perEntity: 'latest',
      across: 'sum',
      normalise: 'per_capacity',
    },
    thresholds: {
      levels: [
        { level: 'warning', op: '>=', value: 0.8 },
        { level: 'critical', op: '>=', value: 1 },
      ],
      pendingSeconds: 0,
      keepFiringSeconds: 0,
    },
    evaluateEverySeconds: null,
    enabled: true,
    reads: [],
    createdAt: STAMP,
    updatedAt: STAMP,
    ...patch,
  };
}

const composite = indicator({
  key: 'city.index',
  name: '城市运行指数',
  nameEn: 'City index',
  theme: 'general',
  grouping: { levels: ['city', 'district'] },
  source: { kind: 'composite', formula: 'clamp(100 - {aqi.district}, 0, 100)' },
  thresholds: null,
  reads: ['aqi.district'],
});

const feeds = [
  {
    key: 'marathon-crowd',
    name: '马拉松客流',
    metrics: [{ key: 'headcount', name: '人数', unit: '人' }],
  },
  { key: 'air-quality', name: '空气质量', metrics: [{ key: 'aqi' }, { key: 'pm25' }] },
] as unknown as FeedDefinition[];

/** The map's catalog, where the editor finds the zone sets: one GeoJSON layer each. */
const layers: LayerView[] = [
  {
    key: 'areas',
    name: '行政区划',
    nameEn: 'Areas',
    kind: 'vector',
    theme: 'base',
    themeName: '基础地理',
    themeNameEn: 'Base geography',
    tiles: '/api/tiles/areas/{z}/{x}/{y}.mvt',
    sourceLayer: 'areas',
    minzoom: 0,
    maxzoom: 16,
    featuresUrl: '/api/layers/areas/features?bbox={bbox}',
    legend: null,
  },
  ...(['gz-marathon', 'flower-fair'] as const).map((zoneSet) => ({
    key: `zones-${zoneSet}`,
    name: zoneSet === 'gz-marathon' ? '马拉松赛段' : '花市分区',
    nameEn: zoneSet === 'gz-marathon' ? 'Marathon segments' : 'Fair zones',
    kind: 'geojson' as const,
    url: `/api/areas?zoneSet=${zoneSet}&geometry=true`,
    zoneSet,
    indicator: null,
    scene: null,
  })),
];

const validationFailed = (errors: { path: string; message: string }[]) => ({
  type: 'urn:cityops:problem:validation_failed',
  title: 'Validation failed',
  status: 400,
  errors,
});

describe('IndicatorsSection', () => {
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

  async function renderSection(list: IndicatorDefinitionView[]) {
    render(<IndicatorsSection />);
    api.only('/api/indicators').reply(200, list);
    await settle();
  }

  async function openCreate() {
    fireEvent.click(screen.getByTestId('indicator-create'));
    api.only('/api/feeds').reply(200, feeds);
    await settle();
    return screen.getByTestId('indicator-form');
  }

  function change(form: HTMLElement, name: string, value: string) {
    fireEvent.change(form.querySelector(`[name="${name}"]`)!, { target: { value } });
  }

  /** The marathon load over the zone set, warning at 0.05 clearing at 0.04. */
  async function fillMarathon() {
    const form = await openCreate();
    change(form, 'key', 'crowd.test-load');
    change(form, 'name', '赛段负荷（测试）');
    change(form, 'feed', 'marathon-crowd');
    change(form, 'metric', 'headcount');
    change(form, 'normalise', 'per_capacity');
    fireEvent.click(form.querySelector('[name="groupingKind"][value="zoneSet"]')!);
    api.only('/api/layers').reply(200, layers);
    await settle();
    change(form, 'zoneSet', 'gz-marathon');
    fireEvent.click(screen.getByTestId('threshold-add'));
    change(form, 'thresholds.0.level', 'warning');
    change(form, 'thresholds.0.value', '0.05');
    change(form, 'thresholds.0.clear', '0.04');
    return form;
  }

  it('lists the indicators by theme with source, areas and thresholds', async () => {
    await renderSection([indicator({}), composite]);
    const themes = screen.getAllByTestId('indicator-theme');
    expect(themes.map((t) => t.dataset.theme)).toEqual(['emergency', 'general']);
    const [load, index] = screen.getAllByTestId('indicator-row');
    expect(load.textContent).toContain('marathon-crowd · headcount · 最新值 → 求和 · 除以容量');
    expect(load.textContent).toContain('分区集 gz-marathon');
    expect([...load.querySelectorAll('.threshold-line')].map((l) => l.textContent)).toEqual(['预警 ≥ 0.8', '严重 ≥ 1']);
    expect(index.textContent).toContain('clamp(100 - {aqi.district}, 0, 100)');
    expect(index.textContent).toContain('市 / 区');
    expect(index.textContent).toContain('无阈值（不告警）');
    expect(screen.getByText('共 2 个')).toBeTruthy();
  });

  it('offers the metrics of the chosen feed only', async () => {
    await renderSection([]);
    const form = await openCreate();
    change(form, 'feed', 'air-quality');
    const options = [...form.querySelectorAll<HTMLOptionElement>('[name="metric"] option')].map((o) => o.value);
    expect(options).toEqual(['', 'aqi', 'pm25']);
  });

  it('chooses the zone set from the listed ones, and keeps one that is no longer listed, marked unknown', async () => {
    await renderSection([indicator({ grouping: { zoneSet: 'old-course' } })]);
    fireEvent.click(screen.getByTestId('indicator-edit'));
    api.only('/api/feeds').reply(200, feeds);
    api.only('/api/layers').reply(200, layers);
    await settle();
    const form = screen.getByTestId('indicator-form');
    const select = form.querySelector<HTMLSelectElement>('select[name="zoneSet"]')!;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['', '选择分区集…'],
      ['old-course', 'old-course（未知的分区集）'],
      ['gz-marathon', '马拉松赛段 (gz-marathon)'],
      ['flower-fair', '花市分区 (flower-fair)'],
    ]);
    expect(select.value).toBe('old-course');

    // Saved untouched, it still names the zone set it had (the server says whether that is still right).
    fireEvent.click(screen.getByTestId('indicator-form-submit'));
    expect(api.only('/api/indicators/crowd.marathon-load').body).toMatchObject({ grouping: { zoneSet: 'old-course' } });
  });

  it('asks for the zone sets only once the zone set grouping is chosen', async () => {
    await renderSection([]);
    const form = await openCreate();
    expect(api.count('/api/layers')).toBe(0);
    fireEvent.click(form.querySelector('[name="groupingKind"][value="zoneSet"]')!);
    api.only('/api/layers').reply(200, layers);
    await settle();
    change(form, 'zoneSet', 'flower-fair');
    expect(form.querySelector<HTMLSelectElement>('select[name="zoneSet"]')!.value).toBe('flower-fair');
    expect(form.querySelector('[data-unknown]')).toBeNull();
  });

  it('refuses to send without the required fields, marking them', async () => {
    await renderSection([]);
    const form = await openCreate();
    fireEvent.click(screen.getByTestId('indicator-form-submit'));
    expect(api.count('/api/indicators')).toBe(1);
    for (const name of ['key', 'name', 'feed', 'metric']) {
      expect(form.querySelector(`[name="${name}"]`)!.getAttribute('aria-invalid')).toBe('true');
    }
  });

  it('creates an aggregate indicator with its threshold rows', async () => {
    await renderSection([]);
    await fillMarathon();
    fireEvent.click(screen.getByTestId('indicator-form-submit'));
    const request = api.only('/api/indicators');
    expect(request.method).toBe('POST');
    expect(request.body).toEqual({
      key: 'crowd.test-load',
      name: '赛段负荷（测试）',
      nameEn: null,
      theme: 'general',
      unit: null,
      format: { decimals: 1, percent: false },
      description: null,
      descriptionEn: null,
      grouping: { zoneSet: 'gz-marathon' },
      source: {
        kind: 'aggregate',
        feed: 'marathon-crowd',
        metric: 'headcount',
        windowSeconds: 300,
        perEntity: 'latest',
        across: 'sum',
        normalise: 'per_capacity',
      },
      thresholds: { levels: [{ level: 'warning', op: '>=', value: 0.05, clear: 0.04 }], pendingSeconds: 0, keepFiringSeconds: 0 },
      evaluateEverySeconds: null,
      enabled: true,
    });
    request.reply(201, indicator({ key: 'crowd.test-load', name: '赛段负荷（测试）' }));
    await settle();
    expect(screen.getByTestId('admin-notice').textContent).toBe('已新建指标“赛段负荷（测试）”');
    api.only('/api/indicators').reply(200, [indicator({ key: 'crowd.test-load' })]);
    await settle();
    expect(screen.getAllByTestId('indicator-row')).toHaveLength(1);
  });

  it('edits a composite: its formula beside the syntax, PUT to its key without the key in the body', async () => {
    await renderSection([composite]);
    fireEvent.click(screen.getByTestId('indicator-edit'));
    api.only('/api/feeds').reply(200, feeds);
    await settle();
    const form = screen.getByTestId('indicator-form');
    expect(screen.getByTestId('formula-syntax').textContent).toContain('clamp(x, 下限, 上限)');
    expect(form.querySelector<HTMLInputElement>('[name="key"]')!.disabled).toBe(true);
    change(form, 'formula', 'min({aqi.district}, 100)');
    fireEvent.click(screen.getByTestId('indicator-form-submit'));
    const request = api.only('/api/indicators/city.index');
    expect(request.method).toBe('PUT');
    expect(request.body).toMatchObject({
      name: '城市运行指数',
      grouping: { levels: ['city', 'district'] },
      source: { kind: 'composite', formula: 'min({aqi.district}, 100)' },
      thresholds: null,
    });
    expect(request.body).not.toHaveProperty('key');
  });

  it('shows the server’s 400 on the fields it names: metric, formula, a threshold row', async () => {
    await renderSection([]);
    const form = await fillMarathon();
    fireEvent.click(screen.getByTestId('threshold-add'));
    change(form, 'thresholds.1.value', '0.01');
    fireEvent.click(screen.getByTestId('indicator-form-submit'));
    api.only('/api/indicators').reply(
      400,
      validationFailed([
        { path: 'source.metric', message: 'feed marathon-crowd has no metric headcount (it has: queue)' },
        { path: 'thresholds.levels.1.value', message: 'critical (0.01) must be above warning (0.05): thresholds out of order' },
        { path: '(root)', message: 'Unrecognized key: "zzz"' },
      ]),
    );
    await settle();
    expect(form.querySelector('[name="metric"]')!.getAttribute('aria-invalid')).toBe('true');
    expect(form.querySelector('[name="thresholds.1.value"]')!.getAttribute('aria-invalid')).toBe('true');
    expect(form.querySelector('[name="thresholds.0.value"]')!.getAttribute('aria-invalid')).toBeNull();
    expect(screen.getAllByTestId('field-error').map((e) => e.textContent)).toEqual([
      '数据源“marathon-crowd”没有指标项“headcount”（它有：queue）',
      '阈值顺序不对：严重（0.01）须高于预警（0.05）',
    ]);
    expect(screen.getByTestId('form-problem').textContent).toContain('无法识别的字段："zzz"');
    // Switching the page to English says the same refusal in English.
    act(() => setLang('en'));
    expect(screen.getAllByTestId('field-error').map((e) => e.textContent)).toEqual([
      'The feed "marathon-crowd" has no metric "headcount" (it has: queue)',
      'Thresholds out of order: Critical (0.01) must be above Warning (0.05)',
    ]);
  });

  it('says a key already taken on the key field', async () => {
    await renderSection([]);
    const form = await fillMarathon();
    fireEvent.click(screen.getByTestId('indicator-form-submit'));
    api.only('/api/indicators').reply(409, {
      type: 'urn:cityops:problem:indicator_exists',
      title: 'Conflict',
      status: 409,
      detail: 'Indicator crowd.test-load exists already',
    });
    await settle();
    expect(form.querySelector('[name="key"]')!.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('field-error').textContent).toBe('已有这个标识的指标');
  });

  it('previews the form before saving: a trend per area with threshold lines, worst first, and the stretches it would have alerted', async () => {
    await renderSection([]);
    await fillMarathon();
    fireEvent.click(screen.getByTestId('indicator-preview-button'));
    const request = api.only('/api/indicators/preview');
    expect(request.method).toBe('POST');
    expect(request.body).toMatchObject({ key: 'crowd.test-load', grouping: { zoneSet: 'gz-marathon' } });
    const at = (minute: number) => new Date(Date.parse(STAMP) + minute * 60_000).toISOString();
    const answer: IndicatorPreview = {
      from: STAMP,
      to: at(60),
      stepSeconds: 60,
      areas: [
        { areaId: 1, areaCode: 'gz-marathon-s1', areaName: '第 1 段', points: [0, 1, 2].map((m) => ({ ts: at(m), value: 0.01 })) },
        { areaId: 2, areaCode: 'gz-marathon-s2', areaName: '第 2 段', points: [0, 1, 2].map((m) => ({ ts: at(m), value: 0.02 * m })) },
      ],
      alerts: [
        { areaId: 2, level: 'warning', from: at(2), to: null },
        { areaId: 1, level: 'warning', from: at(0), to: at(1) },
      ],
    };
    request.reply(200, answer);
    await settle();
    const panel = screen.getByTestId('indicator-preview');
    expect(
      within(panel)
        .getAllByTestId('preview-area')
        .map((a) => a.dataset.area),
    ).toEqual(['gz-marathon-s2', 'gz-marathon-s1']);
    const trend = within(panel).getAllByTestId('preview-trend')[0];
    expect([...trend.querySelectorAll('line')].map((l) => l.dataset.level)).toEqual(['warning']);
    expect(trend.querySelector('path')).not.toBeNull();
    const rows = within(panel).getAllByTestId('preview-alert');
    expect(rows.map((r) => r.dataset.area)).toEqual(['gz-marathon-s1', 'gz-marathon-s2']);
    expect(rows[0].textContent).toContain('预警');
    expect(rows[1].textContent).toContain('持续中');
    // Nothing was saved.
    expect(api.count('/api/indicators')).toBe(1);
  });

  it('caps a long preview at 30 areas and says how many more', async () => {
    await renderSection([]);
    await fillMarathon();
    fireEvent.click(screen.getByTestId('indicator-preview-button'));
    api.only('/api/indicators/preview').reply(200, {
      from: STAMP,
      to: STAMP,
      stepSeconds: 60,
      areas: Array.from({ length: 42 }, (_, i) => ({
        areaId: i,
        areaCode: `g${i}`,
        areaName: `网格 ${i}`,
        points: [{ ts: STAMP, value: i }],
      })),
      alerts: [],
    } satisfies IndicatorPreview);
    await settle();
    expect(screen.getAllByTestId('preview-area')).toHaveLength(30);
    expect(screen.getAllByTestId('preview-area')[0].dataset.area).toBe('g41');
    expect(screen.getByTestId('preview-more').textContent).toBe('另有 12 个区域未显示');
    expect(screen.getByTestId('preview-no-alerts')).toBeTruthy();
  });

  it('shows a refused preview’s errors on the fields and no preview', async () => {
    await renderSection([]);
    const form = await fillMarathon();
    fireEvent.click(screen.getByTestId('indicator-preview-button'));
    api
      .only('/api/indicators/preview')
      .reply(400, validationFailed([{ path: 'grouping.zoneSet', message: 'no zone set gz-x (GET /api/layers lists them)' }]));
    await settle();
    expect(form.querySelector('[name="zoneSet"]')!.getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('indicator-preview')).toBeNull();
  });

  it('deletes after asking in place, and says which composites read an indicator when refused', async () => {
    await renderSection([indicator({ key: 'aqi.district', name: '区空气质量' })]);
    fireEvent.click(screen.getByTestId('indicator-delete'));
    expect(api.pending('/api/indicators/aqi.district')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('indicator-delete-confirm'));
    const request = api.only('/api/indicators/aqi.district');
    expect(request.method).toBe('DELETE');
    request.reply(409, {
      type: 'urn:cityops:problem:indicator_in_use',
      title: 'Conflict',
      status: 409,
      detail: 'Indicator aqi.district is read by city.index: change or delete that composite first.',
    });
    await settle();
    expect(screen.getByTestId('form-problem').textContent).toContain('组合指标 city.index 引用了该指标，请先修改或删除它们');
    expect(screen.getAllByTestId('indicator-row')).toHaveLength(1);
  });
});
