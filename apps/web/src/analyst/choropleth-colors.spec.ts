import { describe, expect, it } from '@jest/globals';
import type { ThresholdLevel } from '@cityops/contracts';
import { bandOf, rampColor, rampPositions, RAMP_STOPS, thresholdLegend } from './choropleth-colors';

const high: ThresholdLevel[] = [
  { level: 'notice', op: '>=', value: 100 },
  { level: 'warning', op: '>=', value: 150 },
  { level: 'critical', op: '>=', value: 200 },
];
const low: ThresholdLevel[] = [
  { level: 'warning', op: '<', value: 20 },
  { level: 'critical', op: '<=', value: 10 },
];

describe('choropleth colours', () => {
  it.each([
    [99.9, 0, high],
    [100, 1, high],
    [150, 2, high],
    [199, 2, high],
    [500, 3, high],
    [25, 0, low],
    [20, 0, low],
    [19.9, 2, low],
    [10, 3, low],
    [null, -1, high],
    [Number.NaN, -1, high],
    [42, 0, null],
  ] as const)('puts %p in band %p', (value, band, levels) => {
    expect(bandOf(value, levels)).toBe(band);
  });

  it('spreads values between the smallest and the largest', () => {
    const ramp = rampPositions([10, 20, 30]);
    expect([ramp.min, ramp.max]).toEqual([10, 30]);
    expect([10, 15, 30, 40].map(ramp.position)).toEqual([0, 0.25, 1, 1]);
  });

  it('puts equal values (or a lone one) at the top of the ramp, not the bottom', () => {
    expect(rampPositions([7, 7]).position(7)).toBe(1);
    expect(rampPositions([]).position(3)).toBe(1);
  });

  it('reads the ramp’s end stops at 0 and 1 and blends between them', () => {
    expect(rampColor(0)).toBe(RAMP_STOPS[0]);
    expect(rampColor(1)).toBe(RAMP_STOPS[RAMP_STOPS.length - 1]);
    expect(rampColor(-5)).toBe(RAMP_STOPS[0]);
    expect(rampColor(Number.NaN)).toBe(RAMP_STOPS[0]);
    expect(rampColor(0.1)).toMatch(/^#[0-9a-f]{6}$/);
    expect(rampColor(0.1)).not.toBe(RAMP_STOPS[0]);
  });

  it('writes a legend from below every threshold up to critical, then no data', () => {
    expect(thresholdLegend(high).map((e) => [e.kind, e.op, e.value])).toEqual([
      ['below', '<', 100],
      ['notice', '>=', 100],
      ['warning', '>=', 150],
      ['critical', '>=', 200],
      ['noData', null, null],
    ]);
    expect(thresholdLegend(low)[0]).toMatchObject({ kind: 'below', op: '>=', value: 20 });
  });
});
