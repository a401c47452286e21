import { describe, expect, it } from '@jest/globals';
import type { AlertStretch, AlertView, IndicatorHistoryPoint } from '@cityops/contracts';
import { alertLevelsAt, buildReplay, describeAlertLevels, replayStretches, standingAlertLevels, valuesAt } from './replay';

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

  it('outlines the alerts firing now, the highest level per area; pending and resolved ones are not', () => {
    const alerts = [
      alert(1, 'warning', 10, null),
      alert(1, 'critical', 20, null),
      alert(2, 'critical', null, null),
      alert(3, 'notice', 0, 5),
      alert(4, 'notice', 0, null),
    ];
    expect(standingAlertLevels(alerts)).toEqual(
      new Map([
        [1, 3],
        [4, 1],
      ]),
    );
  });
});

const stretch = (areaId: number, level: string, from: number, to: number | null, alertId = `a${areaId}`) =>
  ({ alertId, areaId, level, from: at(from), to: to === null ? null : at(to) }) as AlertStretch;

describe('the replay’s alert levels, from the alert timeline', () => {
  /** Area 1: warning 10–20, critical 20–35, warning 35–50, then resolved; area 2: critical from 30, still firing. */
  const stretches = [
    stretch(1, 'warning', 10, 20),
    stretch(1, 'critical', 20, 35),
    stretch(1, 'warning', 35, 50),
    stretch(2, 'critical', 30, null),
  ];
  const levels = (minutes: number) => describeAlertLevels(alertLevelsAt(replayStretches(stretches), T0 + minutes * 60_000));

  it.each<[number, string]>([
    [5, ''],
    [10, '1:warning'],
    [19, '1:warning'],
    [20, '1:critical'],
    [30, '1:critical,2:critical'],
    [40, '1:warning,2:critical'],
    [50, '2:critical'],
    [600, '2:critical'],
  ])('at minute %d each area has the level of the stretch covering it: %j', (minutes, expected) => {
    expect(levels(minutes)).toBe(expected);
  });

  it('takes the highest level when two alerts of an area overlap', () => {
    const both = replayStretches([stretch(1, 'notice', 0, null, 'x'), stretch(1, 'critical', 5, 10, 'y')]);
    expect(alertLevelsAt(both, T0 + 7 * 60_000)).toEqual(new Map([[1, 3]]));
    expect(alertLevelsAt(both, T0 + 12 * 60_000)).toEqual(new Map([[1, 1]]));
  });
});
