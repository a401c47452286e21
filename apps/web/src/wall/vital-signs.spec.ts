import { describe, expect, it } from '@jest/globals';
import type { IndicatorValuesEvent } from '@cityops/contracts';
import { formatValue } from './indicator-format';
import { headlineOf, lowIsWorse } from './vital-signs';

function values(thresholds: unknown, ...areas: [string, number][]): IndicatorValuesEvent {
  return {
    indicatorKey: 'k',
    name: '指标',
    nameEn: null,
    theme: 'environment',
    unit: null,
    format: { decimals: 1, percent: false },
    computedAt: '2026-11-02T08:00:00+08:00',
    thresholds: thresholds as IndicatorValuesEvent['thresholds'],
    values: areas.map(([areaName, value], i) => ({
      areaId: i + 1,
      areaCode: `A${i + 1}`,
      areaName,
      seq: null,
      value,
      numerator: null,
      denominator: null,
      ts: '2026-11-02T08:00:00+08:00',
    })),
  };
}

describe("a vital sign's headline figure", () => {
  const scenarios: { name: string; latest: IndicatorValuesEvent | null; kind: string | null; area: string | null }[] = [
    { name: 'nothing without values', latest: null, kind: null, area: null },
    { name: 'the only area there is', latest: values(null, ['越秀区', 80]), kind: 'only', area: '越秀区' },
    {
      name: "the city's own value among districts",
      latest: values(null, ['越秀区', 80], ['广州市', 60], ['天河区', 120]),
      kind: 'city',
      area: '广州市',
    },
    {
      name: 'the highest area when high is bad',
      latest: values({ warning: 0.8, critical: 1, clear: 0.75 }, ['1段', 0.5], ['7段', 1.18], ['9段', 0.9]),
      kind: 'worst',
      area: '7段',
    },
    {
      name: 'the lowest area when low is bad (speed)',
      latest: values({ levels: [{ level: 'warning', op: '<=', value: 20 }] }, ['A', 35], ['B', 12], ['C', 28]),
      kind: 'worst',
      area: 'B',
    },
  ];
  it.each(scenarios)('$name', ({ latest, kind, area }) => {
    const headline = headlineOf(latest, '广州市');
    expect(headline?.kind ?? null).toBe(kind);
    expect(headline?.value.areaName ?? null).toBe(area);
  });

  it('reads the direction from either thresholds shape', () => {
    expect(lowIsWorse(null)).toBe(false);
    expect(lowIsWorse({ warning: 0.8, critical: 1, clear: 0.75 })).toBe(false);
    expect(lowIsWorse({ warning: 30, critical: 15, clear: 35 })).toBe(true);
    expect(lowIsWorse({ levels: [{ level: 'warning', op: '>=', value: 150 }] })).toBe(false);
    expect(lowIsWorse({ levels: [{ level: 'warning', op: '<', value: 20 }] })).toBe(true);
  });
});

describe('values written with their unit and format', () => {
  const scenarios: { style: Parameters<typeof formatValue>[1]; value: number; zh: string; en: string }[] = [
    { style: { unit: 'ratio' }, value: 1.18, zh: '118%', en: '118%' },
    { style: { unit: null, format: { percent: true, decimals: 1 } }, value: 0.8333, zh: '83.3%', en: '83.3%' },
    { style: { unit: 'AQI', format: { decimals: 0, percent: false } }, value: 156.4, zh: '156 AQI', en: '156 AQI' },
    { style: { unit: 'km/h' }, value: 3.24, zh: '3.2 km/h', en: '3.2 km/h' },
    { style: { unit: '人' }, value: 12045, zh: '12,045 人', en: '12,045 人' },
    { style: {}, value: 42, zh: '42', en: '42' },
  ];
  it.each(scenarios)('$value with $style', ({ style, value, zh, en }) => {
    expect(formatValue(value, style, 'zh')).toBe(zh);
    expect(formatValue(value, style, 'en')).toBe(en);
  });
});
