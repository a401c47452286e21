import { describe, expect, it } from '@jest/globals';
import type { AlertView, IndicatorHistoryPoint } from '@cityops/contracts';
import { alertsAt, buildReplay, valuesAt } from './replay';

const T0 = Date.parse('2026-11-30T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const point = (areaId: number, minutes: number, value: number, last?: number): IndicatorHistoryPoint => ({
  areaId,
  ts: at(minutes),
  value,
  numerator: null,
  denominator: null,
  ...(last === undefined ? {} : { last }),
});

const alert = (areaId: number, level: string, fired: number | null, resolved: number | null) =>
  ({ areaId, level, firedAt: fired === null ? null : at(fired), resolvedAt: resolved === null ? null : at(resolved) }) as AlertView;

describe('the 24-hour replay', () => {
  const replay = buildReplay([point(1, 10, 5), point(1, 0, 1), point(2, 5, 50, 70), point(1, 20, 9)], T0, T0 + 86400_000);

  it('gives each area its last value at or before the instant, in time order whatever order the points came in', () => {
    expect(valuesAt(replay, T0 - 1)).toEqual(new Map());
    expect(valuesAt(replay, T0 + 4 * 60_000)).toEqual(new Map([[1, 1]]));
    expect(valuesAt(replay, T0 + 10 * 60_000)).toEqual(
      new Map([
        [1, 5],
        [2, 70],
      ]),
    );
    expect(valuesAt(replay, T0 + 25 * 60_000).get(1)).toBe(9);
  });

  it('shows an area that went quiet for longer than the stale span as without a value', () => {
    expect(valuesAt(replay, T0 + 20 * 60_000 + 3 * 3600_000).size).toBe(0);
  });

  it('counts an alert from when it fired until it resolved, the highest level per area', () => {
    const alerts = [
      alert(1, 'warning', 10, 30),
      alert(1, 'critical', 20, null),
      alert(2, 'critical', null, null),
      alert(3, 'notice', 0, 5),
    ];
    expect(alertsAt(alerts, T0 + 9 * 60_000)).toEqual(new Map());
    expect(alertsAt(alerts, T0 + 15 * 60_000)).toEqual(new Map([[1, 2]]));
    expect(alertsAt(alerts, T0 + 25 * 60_000)).toEqual(new Map([[1, 3]]));
    expect(alertsAt(alerts, T0 + 2 * 60_000)).toEqual(new Map([[3, 1]]));
  });
});
