import { describe, expect, it } from '@jest/globals';
import type { IndicatorDefinitionView, IndicatorPreview } from '@cityops/contracts';
import { ApiError } from '../../api/client';
import {
  EMPTY_INDICATOR_FORM,
  fieldOfPath,
  indicatorDefinition,
  indicatorFormValues,
  missingFields,
  nextThresholdRow,
  onEditorFields,
  zoneSetOptions,
  type IndicatorFormValues,
} from './indicator-form';
import { previewAreas, previewStretches } from './preview-view';
import { runsOf } from './TrendLine';

const marathon: IndicatorFormValues = {
  ...EMPTY_INDICATOR_FORM,
  key: 'crowd.test-load',
  name: '赛段负荷（测试）',
  nameEn: ' Segment load (test) ',
  unit: '',
  decimals: '2',
  percent: true,
  feed: 'marathon-crowd',
  metric: 'headcount',
  windowSeconds: '120',
  perEntity: 'latest',
  across: 'sum',
  normalise: 'per_capacity',
  groupingKind: 'zoneSet',
  zoneSet: 'gz-marathon',
  thresholds: [
    { level: 'warning', op: '>=', value: '0.05', clear: '0.04' },
    { level: 'critical', op: '>=', value: '1', clear: '' },
  ],
  pendingSeconds: '0',
  keepFiringSeconds: '30',
  noDataPolicy: 'stale',
  noDataAfterSeconds: '300',
};

describe('indicatorDefinition: the editor’s values as the body of POST, PUT and preview', () => {
  it('writes an aggregate over a zone set with its thresholds rows, leaving empty optional text null', () => {
    expect(indicatorDefinition(marathon)).toEqual({
      key: 'crowd.test-load',
      name: '赛段负荷（测试）',
      nameEn: 'Segment load (test)',
      theme: 'general',
      unit: null,
      format: { decimals: 2, percent: true },
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
          { level: 'warning', op: '>=', value: 0.05, clear: 0.04 },
          { level: 'critical', op: '>=', value: 1 },
        ],
        pendingSeconds: 0,
        keepFiringSeconds: 30,
        noData: { afterSeconds: 300, policy: 'stale' },
      },
      evaluateEverySeconds: null,
      enabled: true,
    });
  });

  it('writes a composite by its formula over area levels, without thresholds when there are no rows', () => {
    const body = indicatorDefinition({
      ...EMPTY_INDICATOR_FORM,
      key: 'city.index',
      name: '城市运行指数',
      sourceKind: 'composite',
      feed: 'left-over-from-aggregate',
      formula: ' clamp(100 - {aqi.district}, 0, 100) ',
      levels: ['city', 'district'],
      evaluateEverySeconds: '60',
    });
    expect(body.source).toEqual({ kind: 'composite', formula: 'clamp(100 - {aqi.district}, 0, 100)' });
    expect(body.grouping).toEqual({ levels: ['city', 'district'] });
    expect(body.thresholds).toBeNull();
    expect(body.evaluateEverySeconds).toBe(60);
  });

  it('sends a number typed wrongly as the text it is, so the server’s 400 names the field', () => {
    const body = indicatorDefinition({
      ...marathon,
      windowSeconds: 'ten',
      thresholds: [{ level: 'warning', op: '>=', value: '1,5', clear: '' }],
    });
    expect(body.source).toMatchObject({ windowSeconds: 'ten' });
    expect(body.thresholds?.levels[0].value).toBe('1,5');
  });

  it('reads a saved definition back into the same form values', () => {
    // What the server answers for that body: every default filled in.
    const view = {
      ...indicatorDefinition(marathon),
      reads: [],
      createdAt: '2026-11-29T08:00:00Z',
      updatedAt: '2026-11-29T08:00:00Z',
    } as IndicatorDefinitionView;
    expect(indicatorFormValues(view)).toEqual({ ...marathon, nameEn: 'Segment load (test)', levels: [] });
  });
});

describe('fieldOfPath: where an API error path shows in the editor', () => {
  it.each([
    ['source.metric', 'metric'],
    ['source.feed', 'feed'],
    ['source.formula', 'formula'],
    ['source.windowSeconds', 'windowSeconds'],
    ['source', 'source'],
    ['source.kind', 'source'],
    ['grouping.zoneSet', 'grouping'],
    ['grouping.levels.1', 'grouping'],
    ['thresholds.levels.1.value', 'threshold1'],
    ['thresholds.levels.0.clear', 'threshold0'],
    ['thresholds.pendingSeconds', 'pendingSeconds'],
    ['thresholds.noData.afterSeconds', 'noData'],
    ['thresholds.levels', 'thresholds'],
    ['format.decimals', 'format'],
    ['key', 'key'],
    ['nickname', null],
  ])('%s → %s', (path, field) => {
    expect(fieldOfPath(path)).toBe(field);
  });

  it('renames the paths of a 400 and leaves other failures as they are', () => {
    const refused = new ApiError({
      type: 'urn:cityops:problem:validation_failed',
      title: 'Validation failed',
      status: 400,
      errors: [{ path: 'source.metric', message: 'no metric x' }],
    });
    expect((onEditorFields(refused) as ApiError).problem.errors).toEqual([{ path: 'metric', message: 'no metric x' }]);
    const other = new Error('boom');
    expect(onEditorFields(other)).toBe(other);
  });
});

describe('missingFields and nextThresholdRow', () => {
  it('names required text left empty for the chosen source kind and grouping', () => {
    expect(missingFields(EMPTY_INDICATOR_FORM)).toEqual(['key', 'name', 'feed', 'metric']);
    expect(
      missingFields({
        ...marathon,
        sourceKind: 'composite',
        zoneSet: ' ',
        thresholds: [{ level: 'warning', op: '>=', value: '', clear: '' }],
      }),
    ).toEqual(['formula', 'grouping', 'threshold0']);
  });

  it('adds the first unused level pointing the way the others do, and none past three', () => {
    expect(nextThresholdRow([])).toEqual({ level: 'notice', op: '>=', value: '', clear: '' });
    expect(nextThresholdRow([{ level: 'notice', op: '<=', value: '30', clear: '' }])).toEqual({
      level: 'warning',
      op: '<=',
      value: '',
      clear: '',
    });
    expect(nextThresholdRow(marathon.thresholds.concat({ level: 'notice', op: '>=', value: '0', clear: '' }))).toBeNull();
  });
});

function preview(areas: [number, string, number[]][], alerts: IndicatorPreview['alerts']): IndicatorPreview {
  return {
    from: '2026-11-29T08:00:00Z',
    to: '2026-11-29T09:00:00Z',
    stepSeconds: 60,
    areas: areas.map(([areaId, areaName, values]) => ({
      areaId,
      areaCode: `A${areaId}`,
      areaName,
      points: values.map((value, i) => ({ ts: new Date(Date.parse('2026-11-29T08:00:00Z') + i * 60_000).toISOString(), value })),
    })),
    alerts,
  };
}

describe('previewAreas and previewStretches', () => {
  const hour = preview(
    [
      [1, 'S1', [0.1, 0.2]],
      [2, 'S2', []],
      [3, 'S3', [0.9, 0.3]],
      [4, 'S4', [0.5]],
    ],
    [
      { areaId: 3, level: 'warning', from: '2026-11-29T08:10:00Z', to: '2026-11-29T08:20:00Z' },
      { areaId: 1, level: 'critical', from: '2026-11-29T08:05:00Z', to: null },
    ],
  );

  it('puts the worst area first, highest values when high is bad, areas without values last, and caps the list', () => {
    const { rows, more } = previewAreas(hour, [{ op: '>=' }], 3);
    expect(rows.map((r) => [r.area.areaName, r.worst, r.latest])).toEqual([
      ['S3', 0.9, 0.3],
      ['S4', 0.5, 0.5],
      ['S1', 0.2, 0.2],
    ]);
    expect(more).toBe(1);
  });

  it('puts the lowest first when low values are bad', () => {
    expect(previewAreas(hour, [{ op: '<' }]).rows.map((r) => r.area.areaName)).toEqual(['S1', 'S3', 'S4', 'S2']);
  });

  it('names each would-have-alerted stretch’s area, earliest first, an open one with no end', () => {
    expect(previewStretches(hour)).toEqual([
      { areaId: 1, areaName: 'S1', areaCode: 'A1', level: 'critical', from: '2026-11-29T08:05:00Z', to: null },
      { areaId: 3, areaName: 'S3', areaCode: 'A3', level: 'warning', from: '2026-11-29T08:10:00Z', to: '2026-11-29T08:20:00Z' },
    ]);
    expect(previewStretches({ ...hour, alerts: null })).toEqual([]);
  });
});

describe('runsOf: a trend breaks where minutes have no value', () => {
  const at = (minute: number) => ({ ts: new Date(Date.parse('2026-11-29T08:00:00Z') + minute * 60_000).toISOString(), value: minute });
  it.each([
    [[], []],
    [[0], [[0]]],
    [[0, 1, 2], [[0, 1, 2]]],
    [
      [0, 1, 5, 9, 10],
      [[0, 1], [5], [9, 10]],
    ],
  ])('minutes %j → runs %j', (minutes, runs) => {
    expect(runsOf(minutes.map(at), 60).map((run) => run.map((p) => p.value))).toEqual(runs);
  });
});

describe('zoneSetOptions: the zone set select keeps a value the list does not have', () => {
  const listed = [
    { key: 'flower-fair', name: '花市分区', nameEn: 'Fair zones' },
    { key: 'gz-marathon', name: '马拉松赛段', nameEn: null },
  ];

  it('offers every listed zone set, named in the page’s language (Chinese when there is no English name)', () => {
    expect(zoneSetOptions('', listed, 'en')).toEqual([
      { key: 'flower-fair', name: 'Fair zones', unknown: false },
      { key: 'gz-marathon', name: '马拉松赛段', unknown: false },
    ]);
    expect(zoneSetOptions('gz-marathon', listed, 'zh').map((o) => [o.key, o.name, o.unknown])).toEqual([
      ['flower-fair', '花市分区', false],
      ['gz-marathon', '马拉松赛段', false],
    ]);
  });

  it('puts a current value that is not listed first, marked unknown, so that saving does not drop it', () => {
    expect(zoneSetOptions('old-course', listed, 'zh')).toEqual([
      { key: 'old-course', name: null, unknown: true },
      { key: 'flower-fair', name: '花市分区', unknown: false },
      { key: 'gz-marathon', name: '马拉松赛段', unknown: false },
    ]);
    expect(zoneSetOptions('old-course', [], 'zh')).toEqual([{ key: 'old-course', name: null, unknown: true }]);
  });

  it('shows the current value unmarked while the list is not there (loading, or not loaded)', () => {
    expect(zoneSetOptions('gz-marathon', null, 'zh')).toEqual([{ key: 'gz-marathon', name: null, unknown: false }]);
    expect(zoneSetOptions('', null, 'zh')).toEqual([]);
  });
});
