import { indicatorWriteSchema, thresholdSpecSchema, type IndicatorWriteInput, type ThresholdSpecInput } from '@cityops/contracts';
import { type DefinitionContext, validateDefinition, validateThresholds } from './indicator-validation';

const spec = (input: ThresholdSpecInput) => thresholdSpecSchema.parse(input);

describe('validateThresholds', () => {
  it.each<[string, ThresholdSpecInput, { path: string; message: string }[]]>([
    ['one rising level', { levels: [{ level: 'warning', op: '>=', value: 0.8 }] }, []],
    [
      'three rising levels in order with clears below',
      {
        levels: [
          { level: 'notice', op: '>', value: 50, clear: 45 },
          { level: 'warning', op: '>=', value: 100, clear: 90 },
          { level: 'critical', op: '>=', value: 150 },
        ],
      },
      [],
    ],
    [
      'falling levels (low speed) with clears above',
      {
        levels: [
          { level: 'warning', op: '<=', value: 20, clear: 25 },
          { level: 'critical', op: '<', value: 10, clear: 10 },
        ],
      },
      [],
    ],
    [
      'a level given twice',
      {
        levels: [
          { level: 'warning', op: '>=', value: 1 },
          { level: 'warning', op: '>=', value: 2 },
        ],
      },
      [{ path: 'thresholds.levels.1.level', message: 'level warning is given twice' }],
    ],
    [
      'levels out of severity order',
      {
        levels: [
          { level: 'critical', op: '>=', value: 1 },
          { level: 'warning', op: '>=', value: 2 },
        ],
      },
      [
        {
          path: 'thresholds.levels.1.level',
          message: 'levels go from least to most severe (notice < warning < critical): warning comes before critical',
        },
      ],
    ],
    [
      'mixed directions',
      {
        levels: [
          { level: 'warning', op: '>=', value: 1 },
          { level: 'critical', op: '<', value: 2 },
        ],
      },
      [{ path: 'thresholds.levels.1.op', message: 'every level points the same way: warning uses >=, so use >= or > here too' }],
    ],
    [
      'rising values out of order',
      {
        levels: [
          { level: 'warning', op: '>=', value: 1.0 },
          { level: 'critical', op: '>=', value: 0.8 },
        ],
      },
      [{ path: 'thresholds.levels.1.value', message: 'critical (0.8) must be above warning (1): thresholds out of order' }],
    ],
    [
      'equal values are out of order too',
      {
        levels: [
          { level: 'notice', op: '>=', value: 5 },
          { level: 'warning', op: '>=', value: 5 },
        ],
      },
      [{ path: 'thresholds.levels.1.value', message: 'warning (5) must be above notice (5): thresholds out of order' }],
    ],
    [
      'falling values out of order',
      {
        levels: [
          { level: 'warning', op: '<=', value: 10 },
          { level: 'critical', op: '<=', value: 20 },
        ],
      },
      [{ path: 'thresholds.levels.1.value', message: 'critical (20) must be below warning (10): thresholds out of order' }],
    ],
    [
      'a rising clear on the wrong side',
      { levels: [{ level: 'warning', op: '>=', value: 0.8, clear: 0.9 }] },
      [{ path: 'thresholds.levels.0.clear', message: 'clear (0.9) must be on the safe side of 0.8: at or below it' }],
    ],
    [
      'a falling clear on the wrong side',
      { levels: [{ level: 'warning', op: '<', value: 20, clear: 15 }] },
      [{ path: 'thresholds.levels.0.clear', message: 'clear (15) must be on the safe side of 20: at or above it' }],
    ],
  ])('%s', (_name, input, expected) => {
    expect(validateThresholds(spec(input))).toEqual(expected);
  });

  it('prefixes paths as asked', () => {
    expect(validateThresholds(spec({ levels: [{ level: 'warning', op: '>=', value: 1, clear: 2 }] }), 'spec')[0].path).toBe(
      'spec.levels.0.clear',
    );
  });
});

const context: DefinitionContext = {
  feeds: new Map([
    ['air-stations', ['aqi', 'pm25']],
    ['crowd', ['headcount']],
  ]),
  zoneSets: new Set(['course']),
  indicators: new Map<string, string[]>([
    ['air.aqi', []],
    ['traffic.index', []],
    ['city.index', ['air.aqi', 'district.mood']],
    ['district.mood', ['traffic.index']],
  ]),
};

const aggregate: IndicatorWriteInput = {
  key: 'air.pm25',
  name: 'PM2.5',
  grouping: { levels: ['district'] },
  source: { kind: 'aggregate', feed: 'air-stations', metric: 'pm25', windowSeconds: 600, perEntity: 'latest', across: 'avg' },
};

const composite = (key: string, formula: string): IndicatorWriteInput => ({
  key,
  name: key,
  grouping: { levels: ['district', 'city'] },
  source: { kind: 'composite', formula },
});

describe('validateDefinition', () => {
  it.each<[string, IndicatorWriteInput, { path: string; message: string }[]]>([
    ['a sound aggregate', aggregate, []],
    ['an aggregate over a zone set', { ...aggregate, grouping: { zoneSet: 'course' } }, []],
    ['a sound composite', composite('health', 'min({air.aqi}, {traffic.index})'), []],
    [
      'an unknown feed',
      { ...aggregate, source: { ...(aggregate.source as object), feed: 'nope' } as IndicatorWriteInput['source'] },
      [{ path: 'source.feed', message: 'no feed nope (GET /api/feeds)' }],
    ],
    [
      'an unknown metric',
      { ...aggregate, source: { ...(aggregate.source as object), metric: 'no2' } as IndicatorWriteInput['source'] },
      [{ path: 'source.metric', message: 'feed air-stations has no metric no2 (it has: aqi, pm25)' }],
    ],
    [
      'an unknown zone set',
      { ...aggregate, grouping: { zoneSet: 'parade' } },
      [{ path: 'grouping.zoneSet', message: 'no zone set parade (GET /api/layers lists them)' }],
    ],
    [
      'a level that cannot group',
      { ...aggregate, grouping: { levels: ['district', 'zone'] } },
      [
        {
          path: 'grouping.levels.1',
          message:
            '"zone" is not a level an indicator can be grouped by (city, district, street, community, grid; event zones: use zoneSet)',
        },
      ],
    ],
    [
      'a level given twice',
      { ...aggregate, grouping: { levels: ['grid', 'grid'] } },
      [{ path: 'grouping.levels.1', message: 'level grid is given twice' }],
    ],
    [
      'a formula that does not parse, with its position',
      composite('health', 'max({air.aqi}, )'),
      [{ path: 'source.formula', message: 'unexpected ")": expected a number, {indicator.key}, a function or "(" (at character 16)' }],
    ],
    [
      'a formula naming a missing indicator',
      composite('health', '{air.aqi} + {water.depth}'),
      [{ path: 'source.formula', message: 'the formula reads {water.depth}, which is not an indicator' }],
    ],
    [
      'a formula reading itself',
      composite('health', '{health} + 1'),
      [{ path: 'source.formula', message: 'the formula makes a cycle: health → health' }],
    ],
    [
      'a formula closing a cycle through two others',
      composite('traffic.index', '{city.index} * 2'),
      [{ path: 'source.formula', message: 'the formula makes a cycle: traffic.index → city.index → district.mood → traffic.index' }],
    ],
    [
      'thresholds out of order',
      {
        ...aggregate,
        thresholds: {
          levels: [
            { level: 'warning', op: '>=', value: 75 },
            { level: 'critical', op: '>=', value: 35 },
          ],
        },
      },
      [{ path: 'thresholds.levels.1.value', message: 'critical (35) must be above warning (75): thresholds out of order' }],
    ],
  ])('%s', (_name, input, expected) => {
    expect(validateDefinition(indicatorWriteSchema.parse(input), context)).toEqual(expected);
  });

  it('does not call a long chain of composites a cycle (and does not recurse through it)', () => {
    const indicators = new Map<string, string[]>(Array.from({ length: 20_000 }, (_, i) => [`c${i}`, i === 0 ? [] : [`c${i - 1}`]]));
    expect(validateDefinition(indicatorWriteSchema.parse(composite('top', '{c19999}')), { ...context, indicators })).toEqual([]);
  });
});
