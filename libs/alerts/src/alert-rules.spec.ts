import type { ThresholdSpec, ThresholdSpecInput } from '@cityops/contracts';
import { thresholdSpecSchema } from '@cityops/contracts';
import { nextAlertPhase, nextDeadline, simulateAlerts, type AlertPhase, type AlertSample } from './alert-rules';

const T0 = Date.parse('2025-10-01T08:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** A step of a scenario: at `t` seconds a new value, a value-less sample (`null`), or only time passing (`tick`). */
type Step = [t: number, value: number | null | 'tick'];

/** Segment load: warning from 0.8 (held down to 0.75), critical from 1.0 (held down to 0.95). */
const load = (extra: Partial<ThresholdSpecInput> = {}): ThresholdSpec =>
  thresholdSpecSchema.parse({
    levels: [
      { level: 'warning', op: '>=', value: 0.8, clear: 0.75 },
      { level: 'critical', op: '>=', value: 1.0, clear: 0.95 },
    ],
    ...extra,
  });

/**
 * Plays the steps through the state machine as the service does (a tick evaluates the last value
 * again at a later time) and lists what changed as `t:change@level`.
 */
function play(spec: ThresholdSpec, steps: Step[]): string[] {
  let phase: AlertPhase = { state: 'none' };
  let last: AlertSample | null = null;
  const out: string[] = [];
  for (const [t, v] of steps) {
    let sample: AlertSample;
    if (v === 'tick') {
      if (!last) throw new Error('a tick needs a value before it');
      sample = last;
    } else if (v === null) {
      sample = { value: null, ts: last?.ts ?? at(t) };
    } else {
      sample = { value: v, ts: at(t) };
      last = sample;
    }
    const before = phase;
    const step = nextAlertPhase(phase, sample, spec, at(t));
    phase = step.phase;
    const level = phase.state !== 'none' ? phase.level : before.state !== 'none' ? before.level : '-';
    out.push(...step.changes.map((c) => `${t}:${c}@${level}`));
  }
  return out;
}

describe('alert state machine: levels and hysteresis (no pending, no keep-firing)', () => {
  it.each<[string, Step[], string[]]>([
    ['a value under every threshold opens nothing', [[0, 0.5]], []],
    ['0.79, just under warning: still nothing', [[0, 0.79]], []],
    ['0.8 fires a warning at once', [[0, 0.8]], ['0:fired@warning']],
    ['1.3 fires a critical alert at once', [[0, 1.3]], ['0:fired@critical']],
    [
      'a load hovering around 0.8 above the clear level stays one warning: no flapping',
      [
        [0, 0.81],
        [3, 0.79],
        [6, 0.8],
        [9, 0.77],
        [12, 0.82],
      ],
      ['0:fired@warning'],
    ],
    [
      'a load hovering around 1.0 above its clear level stays critical: it neither drops nor climbs',
      [
        [0, 1.01],
        [3, 0.99],
        [6, 1.0],
        [9, 0.96],
      ],
      ['0:fired@critical'],
    ],
    [
      'a warning climbing past 1.0 escalates inside the same alert',
      [
        [0, 0.85],
        [3, 1.05],
      ],
      ['0:fired@warning', '3:escalated@critical'],
    ],
    [
      'critical falling under its clear level de-escalates to warning, then resolves under 0.75',
      [
        [0, 1.1],
        [3, 0.9],
        [6, 0.749],
      ],
      ['0:fired@critical', '3:deescalated@warning', '6:resolved@warning'],
    ],
    [
      'critical at 0.76 falls to warning, not resolved (still above the warning’s clear)',
      [
        [0, 1.2],
        [3, 0.76],
      ],
      ['0:fired@critical', '3:deescalated@warning'],
    ],
    [
      'critical at 0.2 resolves at once',
      [
        [0, 1.2],
        [3, 0.2],
      ],
      ['0:fired@critical', '3:resolved@critical'],
    ],
  ])('%s', (_name, steps, expected) => {
    expect(play(load(), steps)).toEqual(expected);
  });
});

describe('alert state machine: pending period (30 s)', () => {
  it.each<[string, Step[], string[]]>([
    [
      'pending that never fires: the load drops under the clear level before 30 s and the alert lapses',
      [
        [0, 0.9],
        [10, 0.9],
        [20, 0.5],
      ],
      ['0:pending@warning', '20:lapsed@warning'],
    ],
    [
      'pending fires with the first value after 30 s',
      [
        [0, 0.9],
        [15, 0.9],
        [30, 0.92],
      ],
      ['0:pending@warning', '30:fired@warning'],
    ],
    [
      'pending fires by time alone: no new value, the period ends',
      [
        [0, 0.9],
        [20, 'tick'],
        [31, 'tick'],
      ],
      ['0:pending@warning', '31:fired@warning'],
    ],
    [
      'a level change while pending keeps the pending clock, and the alert fires at the new level',
      [
        [0, 0.9],
        [10, 1.1],
        [30, 'tick'],
      ],
      ['0:pending@warning', '10:escalated@critical', '30:fired@critical'],
    ],
    [
      'a pending alert above the clear level is held by hysteresis, and fires',
      [
        [0, 0.85],
        [10, 0.78],
        [30, 0.79],
      ],
      ['0:pending@warning', '30:fired@warning'],
    ],
  ])('%s', (_name, steps, expected) => {
    expect(play(load({ pendingSeconds: 30 }), steps)).toEqual(expected);
  });
});

describe('alert state machine: keep firing for 60 s after the condition stops', () => {
  it.each<[string, Step[], string[]]>([
    [
      'keeps firing after the load drops, and resolves by time alone when the 60 s are over',
      [
        [0, 0.9],
        [10, 0.5],
        [40, 'tick'],
        [70, 'tick'],
      ],
      ['0:fired@warning', '70:resolved@warning'],
    ],
    [
      'the condition returning within the 60 s keeps the same alert',
      [
        [0, 0.9],
        [10, 0.5],
        [40, 0.9],
        [100, 'tick'],
      ],
      ['0:fired@warning'],
    ],
    [
      'after it returned, a second drop starts the 60 s again',
      [
        [0, 0.9],
        [10, 0.5],
        [40, 0.9],
        [50, 0.5],
        [100, 'tick'],
        [110, 'tick'],
      ],
      ['0:fired@warning', '110:resolved@warning'],
    ],
  ])('%s', (_name, steps, expected) => {
    expect(play(load({ keepFiringSeconds: 60 }), steps)).toEqual(expected);
  });
});

describe('alert state machine: flapping input (a load alternating 0.81 / 0.79 every 3 s)', () => {
  const flapping: Step[] = [
    [0, 0.81],
    [3, 0.79],
    [6, 0.81],
    [9, 0.79],
    [12, 0.81],
    [15, 0.79],
  ];
  const noHysteresis = (extra: Partial<ThresholdSpecInput> = {}) =>
    thresholdSpecSchema.parse({ levels: [{ level: 'warning', op: '>=', value: 0.8 }], ...extra });

  it.each<[string, ThresholdSpec, string[]]>([
    [
      'without hysteresis, pending or keep-firing, every crossing opens or resolves an alert (what the other settings prevent)',
      noHysteresis(),
      ['0:fired@warning', '3:resolved@warning', '6:fired@warning', '9:resolved@warning', '12:fired@warning', '15:resolved@warning'],
    ],
    ['with a clear level of 0.75: one alert, fired once', load(), ['0:fired@warning']],
    [
      'with a 10 s pending period and no hysteresis: nothing ever fires (each pending lapses)',
      noHysteresis({ pendingSeconds: 10 }),
      ['0:pending@warning', '3:lapsed@warning', '6:pending@warning', '9:lapsed@warning', '12:pending@warning', '15:lapsed@warning'],
    ],
    ['with keep-firing for 10 s and no hysteresis: one alert, fired once', noHysteresis({ keepFiringSeconds: 10 }), ['0:fired@warning']],
  ])('%s', (_name, spec, expected) => {
    expect(play(spec, flapping)).toEqual(expected);
  });
});

describe('alert state machine: downward thresholds (traffic speed in km/h, `<=`)', () => {
  const speed = thresholdSpecSchema.parse({
    levels: [
      { level: 'notice', op: '<=', value: 30, clear: 35 },
      { level: 'warning', op: '<=', value: 20, clear: 25 },
      { level: 'critical', op: '<=', value: 10, clear: 12 },
    ],
  });

  it.each<[string, Step[], string[]]>([
    ['40 km/h: nothing', [[0, 40]], []],
    ['28 km/h: a notice', [[0, 28]], ['0:fired@notice']],
    ['8 km/h: critical at once', [[0, 8]], ['0:fired@critical']],
    [
      'slowing down 28, 18, 9 escalates twice inside one alert',
      [
        [0, 28],
        [5, 18],
        [10, 9],
      ],
      ['0:fired@notice', '5:escalated@warning', '10:escalated@critical'],
    ],
    [
      'speeding up goes down one level at a time, each only past its clear level, then resolves over 35',
      [
        [0, 9],
        [5, 11],
        [10, 13],
        [15, 24],
        [20, 26],
        [25, 33],
        [30, 36],
      ],
      ['0:fired@critical', '10:deescalated@warning', '20:deescalated@notice', '30:resolved@notice'],
    ],
  ])('%s', (_name, steps, expected) => {
    expect(play(speed, steps)).toEqual(expected);
  });
});

describe('alert state machine: no data (no value for 60 s)', () => {
  const noData = (policy: 'keep' | 'stale' | 'resolve', extra: Partial<ThresholdSpecInput> = {}) =>
    load({ noData: { afterSeconds: 60, policy }, ...extra });

  it.each<[string, ThresholdSpec, Step[], string[]]>([
    [
      'keep: the alert stays as it is',
      noData('keep'),
      [
        [0, 0.9],
        [61, 'tick'],
        [600, 'tick'],
      ],
      ['0:fired@warning'],
    ],
    [
      'stale: the alert is marked stale once',
      noData('stale'),
      [
        [0, 0.9],
        [30, 'tick'],
        [61, 'tick'],
        [120, 'tick'],
      ],
      ['0:fired@warning', '61:stale@warning'],
    ],
    [
      'resolve: the alert resolves',
      noData('resolve'),
      [
        [0, 0.9],
        [61, 'tick'],
      ],
      ['0:fired@warning', '61:resolved@warning'],
    ],
    [
      'stale: a source saying "no value" makes the alert stale at once',
      noData('stale'),
      [
        [0, 0.9],
        [10, null],
      ],
      ['0:fired@warning', '10:stale@warning'],
    ],
    [
      'stale: a pending alert that loses its data lapses (its condition can no longer be confirmed)',
      noData('stale', { pendingSeconds: 120 }),
      [
        [0, 0.9],
        [61, 'tick'],
      ],
      ['0:pending@warning', '61:lapsed@warning'],
    ],
    [
      'keep: a pending alert without data neither fires nor lapses',
      noData('keep', { pendingSeconds: 30 }),
      [
        [0, 0.9],
        [61, 'tick'],
      ],
      ['0:pending@warning'],
    ],
    ['no data never opens an alert', noData('stale'), [[0, null]], []],
    [
      'without a no-data policy, a source saying "no value" changes nothing',
      load(),
      [
        [0, 0.9],
        [10, null],
      ],
      ['0:fired@warning'],
    ],
  ])('%s', (_name, spec, steps, expected) => {
    expect(play(spec, steps)).toEqual(expected);
  });
});

describe('alert state machine: data returning after stale', () => {
  const stale = load({ noData: { afterSeconds: 60, policy: 'stale' } });

  it.each<[string, Step[], string[]]>([
    [
      'a breaching value makes the alert fresh again, the same alert',
      [
        [0, 0.9],
        [61, 'tick'],
        [90, 0.95],
      ],
      ['0:fired@warning', '61:stale@warning', '90:fresh@warning'],
    ],
    [
      'a normal value makes it fresh and resolves it',
      [
        [0, 0.9],
        [61, 'tick'],
        [90, 0.5],
      ],
      ['0:fired@warning', '61:stale@warning', '90:fresh@warning', '90:resolved@warning'],
    ],
    [
      'a critical value makes it fresh and escalates it',
      [
        [0, 0.9],
        [61, 'tick'],
        [90, 1.2],
      ],
      ['0:fired@warning', '61:stale@warning', '90:fresh@critical', '90:escalated@critical'],
    ],
  ])('%s', (_name, steps, expected) => {
    expect(play(stale, steps)).toEqual(expected);
  });
});

describe('nextDeadline: when time alone would change a key', () => {
  const sample = { value: 0.9, ts: at(0) };
  it.each<[string, ThresholdSpec, AlertPhase, number | null]>([
    ['normal: only a new value can change it', load({ noData: { afterSeconds: 60, policy: 'stale' } }), { state: 'none' }, null],
    ['pending: the end of the pending period', load({ pendingSeconds: 30 }), { state: 'pending', level: 'warning', since: at(0) }, 30],
    [
      'keep-firing: the end of keep-firing-for',
      load({ keepFiringSeconds: 60 }),
      { state: 'firing', level: 'warning', firedAt: at(0), conditionLostAt: at(10), staleSince: null },
      70,
    ],
    [
      'firing with a stale policy: just after the data turns old',
      load({ noData: { afterSeconds: 60, policy: 'stale' } }),
      { state: 'firing', level: 'warning', firedAt: at(0), conditionLostAt: null, staleSince: null },
      60.001,
    ],
    [
      'firing with the keep policy: nothing',
      load({ noData: { afterSeconds: 60, policy: 'keep' } }),
      { state: 'firing', level: 'warning', firedAt: at(0), conditionLostAt: null, staleSince: null },
      null,
    ],
  ])('%s', (_name, spec, phase, seconds) => {
    const due = nextDeadline(phase, sample, spec);
    expect(due === null ? null : (due.getTime() - T0) / 1000).toBe(seconds);
  });
});

describe('simulateAlerts: how a series would have alerted (the indicator editor’s preview)', () => {
  const series = (points: [number, number | null][]) => points.map(([t, value]) => ({ ts: at(t).toISOString(), value }));
  const iso = (t: number) => at(t).toISOString();

  it.each<[string, ThresholdSpec, [number, number | null][], { level: string; from: number; to: number | null }[]]>([
    [
      'a calm series: no alert',
      load(),
      [
        [0, 0.5],
        [60, 0.6],
      ],
      [],
    ],
    [
      'one warning from its first breach to the value that clears it',
      load(),
      [
        [0, 0.5],
        [60, 0.9],
        [120, 0.78],
        [180, 0.6],
      ],
      [{ level: 'warning', from: 60, to: 180 }],
    ],
    [
      'a level change splits the alert into one entry per level, end to end',
      load(),
      [
        [0, 0.9],
        [60, 1.2],
        [120, 0.5],
      ],
      [
        { level: 'warning', from: 0, to: 60 },
        { level: 'critical', from: 60, to: 120 },
      ],
    ],
    [
      'a pending period that never completes leaves nothing',
      load({ pendingSeconds: 120 }),
      [
        [0, 0.9],
        [60, 0.9],
        [100, 0.5],
      ],
      [],
    ],
    [
      'a pending period ends between two values: the alert fires when it ends, not at the next value',
      load({ pendingSeconds: 30 }),
      [
        [0, 0.9],
        [60, 0.9],
        [120, 0.5],
      ],
      [{ level: 'warning', from: 30, to: 120 }],
    ],
    [
      'keep-firing runs out between sparse values',
      load({ keepFiringSeconds: 30 }),
      [
        [0, 0.9],
        [60, 0.5],
        [300, 0.5],
      ],
      [{ level: 'warning', from: 0, to: 90 }],
    ],
    [
      'no data with the resolve policy ends the alert when the data turns old',
      load({ noData: { afterSeconds: 60, policy: 'resolve' } }),
      [
        [0, 0.9],
        [600, 0.5],
      ],
      [{ level: 'warning', from: 0, to: 60.001 }],
    ],
    ['still firing at the end of the series: open-ended', load(), [[0, 1.5]], [{ level: 'critical', from: 0, to: null }]],
  ])('%s', (_name, spec, points, expected) => {
    expect(simulateAlerts(series(points), spec)).toEqual(
      expected.map((e) => ({ level: e.level, from: iso(e.from), to: e.to === null ? null : iso(e.to) })),
    );
  });

  it('plays values given out of order in time order', () => {
    const points = series([
      [120, 0.5],
      [0, 0.9],
    ]);
    expect(simulateAlerts(points, load())).toEqual([{ level: 'warning', from: iso(0), to: iso(120) }]);
  });
});
