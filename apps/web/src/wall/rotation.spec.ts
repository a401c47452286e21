import { describe, expect, it } from '@jest/globals';
import type { SceneView } from '@cityops/contracts';
import {
  availableStops,
  initialRotation,
  sceneForAlert,
  stepRotation,
  type RotationAlert,
  type RotationOptions,
  type RotationStop,
} from './rotation';

const T0 = Date.parse('2026-11-30T08:00:00Z');
const stops = (...pairs: [string, number][]): RotationStop[] => pairs.map(([scene, seconds]) => ({ scene, dwellMs: seconds * 1000 }));
const THREE = stops(['overview', 60], ['race', 120], ['flood', 30]);
const UNTIL_HANDLED: RotationOptions = { interrupt: true, holdMs: null };

/** A critical alert of the race's indicator, fired at `t` seconds. */
const critical = (id: string, t: number, change: Partial<RotationAlert> = {}): RotationAlert => ({
  id,
  level: 'critical',
  state: 'firing',
  acknowledged: false,
  firedAt: T0 + t * 1000,
  sceneKey: 'race',
  ...change,
});

/** At `t` seconds the alerts standing are these (none: `[]`). */
type Step = [t: number, alerts: RotationAlert[]];

/** Ticks the rotation through the steps and lists what the wall shows at each: `t:scene` or `t:scene!` during an alert. */
function play(playlist: RotationStop[], steps: Step[], options: RotationOptions = UNTIL_HANDLED): string[] {
  let state = initialRotation(T0);
  return steps.map(([t, alerts]) => {
    const step = stepRotation(state, playlist, alerts, T0 + t * 1000, options);
    state = step.state;
    return `${t}:${step.view.sceneKey ?? '-'}${step.view.mode === 'alert' ? '!' : ''}`;
  });
}

const quiet = (...ts: number[]): Step[] => ts.map((t) => [t, []]);

describe('the wall rotation: given the playlist, the clock and the alerts, which scene shows', () => {
  it.each<[string, RotationStop[], Step[], string[], RotationOptions?]>([
    ['no stops: nothing to show', [], quiet(0, 100), ['0:-', '100:-']],
    ['one stop stays', stops(['race', 10]), quiet(0, 10, 1000), ['0:race', '10:race', '1000:race']],
    [
      'each stop for its dwell time, then round again',
      THREE,
      quiet(0, 59, 60, 179, 180, 209, 210),
      ['0:overview', '59:overview', '60:race', '179:race', '180:flood', '209:flood', '210:overview'],
    ],
    [
      'a wall that slept for hours lands where the clock says, not one stop further per tick',
      THREE,
      quiet(0, 210 * 100 + 70),
      ['0:overview', '21070:race'],
    ],
    [
      'a critical alert takes the wall to its scene at once',
      THREE,
      [
        [0, []],
        [10, [critical('a', 10, { sceneKey: 'flood' })]],
      ],
      ['0:overview', '10:flood!'],
    ],
    [
      'the alert holds the wall past the dwell times, then the rotation resumes where it was with the time it had left',
      THREE,
      [
        [0, []],
        [50, [critical('a', 50)]],
        [500, [critical('a', 50)]],
        [600, []],
        [609, []],
        [610, []],
      ],
      // It was on the overview with 10 s left: back to the overview for 10 s, then the race.
      ['0:overview', '50:race!', '500:race!', '600:overview', '609:overview', '610:race'],
    ],
    [
      'acknowledged: it no longer holds the wall',
      THREE,
      [
        [0, []],
        [5, [critical('a', 5)]],
        [20, [critical('a', 5, { acknowledged: true })]],
      ],
      ['0:overview', '5:race!', '20:overview'],
    ],
    [
      'resolved: likewise',
      THREE,
      [
        [0, []],
        [5, [critical('a', 5)]],
        [20, [critical('a', 5, { state: 'resolved' })]],
      ],
      ['0:overview', '5:race!', '20:overview'],
    ],
    [
      'warnings and pending or unplaceable critical alerts do not interrupt',
      THREE,
      [
        [0, [critical('w', 0, { level: 'warning' })]],
        [1, [critical('p', 1, { state: 'pending' })]],
        [2, [critical('x', 2, { sceneKey: null })]],
      ],
      ['0:overview', '1:overview', '2:overview'],
    ],
    [
      'interruptions switched off: the rotation goes on',
      THREE,
      [
        [0, [critical('a', 0)]],
        [60, [critical('a', 0)]],
      ],
      ['0:overview', '60:race'],
      { interrupt: false, holdMs: null },
    ],
    [
      'with a hold, the wall goes back after it even while the alert stands, and that alert does not take it again',
      THREE,
      [
        [0, []],
        [10, [critical('a', 10, { sceneKey: 'flood' })]],
        [39, [critical('a', 10, { sceneKey: 'flood' })]],
        [40, [critical('a', 10, { sceneKey: 'flood' })]],
        [90, [critical('a', 10, { sceneKey: 'flood' })]],
      ],
      ['0:overview', '10:flood!', '39:flood!', '40:overview', '90:race'],
      { interrupt: true, holdMs: 30_000 },
    ],
    [
      'a second critical alert during the first waits, and takes the wall when the first is handled',
      THREE,
      [
        [0, [critical('a', 0)]],
        [5, [critical('a', 0), critical('b', 5, { sceneKey: 'flood' })]],
        [10, [critical('b', 5, { sceneKey: 'flood' })]],
        [20, []],
      ],
      ['0:race!', '5:race!', '10:flood!', '20:overview'],
    ],
    [
      'of two standing at once, the most recently fired',
      THREE,
      [[0, [critical('old', -100, { sceneKey: 'flood' }), critical('new', -5)]]],
      ['0:race!'],
    ],
    // A rest parameter: with a fifth named one, jest would pass `done` where a row has no options.
  ])('%s', (...[, playlist, steps, expected, options]) => {
    expect(play(playlist, steps, options)).toEqual(expected);
  });

  it('says what comes next and how far through the stop it is', () => {
    const { view } = stepRotation(initialRotation(T0), THREE, [], T0 + 15_000, UNTIL_HANDLED);
    expect(view).toEqual({
      mode: 'rotation',
      sceneKey: 'overview',
      alertId: null,
      index: 0,
      nextSceneKey: 'race',
      endsAt: T0 + 60_000,
      progress: 0.25,
    });
  });

  it('keeps only the stops whose scene the wall has (a deleted or disabled scene is skipped)', () => {
    const scene = (key: string) => ({ key }) as SceneView;
    expect(
      availableStops(
        [
          { scene: 'a', dwellSeconds: 10 },
          { scene: 'gone', dwellSeconds: 20 },
          { scene: 'b', dwellSeconds: 30 },
        ],
        [scene('a'), scene('b')],
      ),
    ).toEqual(stops(['a', 10], ['b', 30]));
  });
});

describe('sceneForAlert: the scene that shows an alert’s area', () => {
  const base = { zoneSet: null, indicatorKey: null, focusAreaId: null, kpis: [] };
  const scenes = [
    { ...base, key: 'overview', kind: 'overview' },
    { ...base, key: 'race', kind: 'event', zoneSet: 'course', indicatorKey: 'race.load' },
    { ...base, key: 'flood', kind: 'theme', kpis: [{ indicatorKey: 'water.depth', areaId: null, label: '积水', labelEn: null }] },
    { ...base, key: 'east', kind: 'district', focusAreaId: 2 },
  ] as unknown as SceneView[];
  // District 2 holds every point east of 113.3.
  const eastHolds = (scene: SceneView, [lon]: [number, number]) => scene.focusAreaId === 2 && lon > 113.3;

  it.each<[string, { indicatorKey: string; center: [number, number] | null }, string | null]>([
    ['an event’s indicator: the event (its zones)', { indicatorKey: 'race.load', center: [113.4, 23.1] }, 'race'],
    ['a point inside a district scene’s area: that district', { indicatorKey: 'air.aqi', center: [113.4, 23.1] }, 'east'],
    ['a theme’s KPI indicator elsewhere: the theme', { indicatorKey: 'water.depth', center: [113.2, 23.1] }, 'flood'],
    ['anything else: the city overview', { indicatorKey: 'air.aqi', center: [113.2, 23.1] }, 'overview'],
    ['no point: not placed by district', { indicatorKey: 'air.aqi', center: null }, 'overview'],
  ])('%s', (_name, alert, expected) => {
    expect(sceneForAlert(alert, scenes, eastHolds)).toBe(expected);
  });

  it('without an overview an unplaceable alert has no scene', () => {
    expect(sceneForAlert({ indicatorKey: 'air.aqi', center: null }, scenes.slice(1), eastHolds)).toBeNull();
  });

  it('prefers a scene in the rotation among equals', () => {
    const twoRaces = [...scenes, { ...scenes[1], key: 'race-b' }];
    expect(sceneForAlert({ indicatorKey: 'race.load', center: null }, twoRaces, eastHolds, new Set(['race-b']))).toBe('race-b');
  });
});
