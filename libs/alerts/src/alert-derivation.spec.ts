import type { ThresholdSpec, ThresholdSpecInput } from '@cityops/contracts';
import { thresholdSpecSchema } from '@cityops/contracts';
import { deriveAlerts, type DerivedAlert } from './alert-derivation';
import { simulateAlerts } from './alert-rules';

const T0 = Date.parse('2025-10-01T08:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
/** Seconds since T0, for reading results in the scenarios' terms. */
const sec = (d: Date | null) => (d === null ? null : (d.getTime() - T0) / 1000);

/** Segment load: warning from 0.8 (held down to 0.75), critical from 1.0 (held down to 0.95). */
const load = (extra: Partial<ThresholdSpecInput> = {}): ThresholdSpec =>
  thresholdSpecSchema.parse({
    levels: [
      { level: 'warning', op: '>=', value: 0.8, clear: 0.75 },
      { level: 'critical', op: '>=', value: 1.0, clear: 0.95 },
    ],
    ...extra,
  });

const series = (points: [t: number, value: number][]) => points.map(([t, value]) => ({ ts: at(t), value }));

/** An alert as the scenarios state it: its row's times in seconds and its history as `t:change@level`. */
function shape(a: DerivedAlert) {
  return {
    state: a.state,
    level: a.level,
    startedAt: sec(a.startedAt),
    firedAt: sec(a.firedAt),
    resolvedAt: sec(a.resolvedAt),
    history: a.events.map((e) => `${sec(e.at)}:${e.change}@${e.level}`),
  };
}

describe('deriveAlerts: the alerts a stored series implies, as the live round would have stored them', () => {
  it('stores a pending period that lapsed before it fired (live keeps those too), never fired', () => {
    const [lapsed, ...rest] = deriveAlerts(
      series([
        [0, 0.9],
        [30, 0.5],
      ]),
      load({ pendingSeconds: 60 }),
    );
    expect(rest).toEqual([]);
    expect(shape(lapsed)).toEqual({
      state: 'resolved',
      level: 'warning',
      startedAt: 0,
      firedAt: null,
      resolvedAt: 30,
      history: ['0:pending@warning', '30:lapsed@warning'],
    });
  });

  it('fires when the pending period ends between two points (time passes as it does live), then resolves', () => {
    const derived = deriveAlerts(
      series([
        [0, 0.9],
        [300, 0.92],
        [600, 0.5],
      ]),
      load({ pendingSeconds: 120 }),
    );
    expect(derived.map(shape)).toEqual([
      {
        state: 'resolved',
        level: 'warning',
        startedAt: 0,
        firedAt: 120,
        resolvedAt: 600,
        history: ['0:pending@warning', '120:fired@warning', '600:resolved@warning'],
      },
    ]);
    // The row as the live round leaves it: the last value seen, the threshold of its level.
    expect(derived[0]).toMatchObject({ value: 0.5, valueTs: at(600), threshold: 0.8, op: '>=', updatedAt: at(600) });
  });

  it('records level changes inside one alert, hysteresis holding a level until its clear is passed', () => {
    const derived = deriveAlerts(
      series([
        [0, 0.85],
        [300, 1.1],
        [600, 0.97],
        [900, 0.9],
        [1200, 0.7],
        [1500, 0.85],
      ]),
      load(),
    );
    expect(derived.map(shape)).toEqual([
      {
        state: 'resolved',
        level: 'warning',
        startedAt: 0,
        firedAt: 0,
        resolvedAt: 1200,
        history: ['0:fired@warning', '300:escalated@critical', '900:deescalated@warning', '1200:resolved@warning'],
      },
      // A new alert after the first resolved, still firing at the end of the series.
      { state: 'firing', level: 'warning', startedAt: 1500, firedAt: 1500, resolvedAt: null, history: ['1500:fired@warning'] },
    ]);
  });

  it('keeps firing for keep-firing-for after the condition stops, resolving when it runs out between points', () => {
    const derived = deriveAlerts(
      series([
        [0, 0.9],
        [300, 0.5],
        [600, 0.5],
      ]),
      load({ keepFiringSeconds: 120 }),
    );
    expect(derived.map(shape)).toEqual([
      {
        state: 'resolved',
        level: 'warning',
        startedAt: 0,
        firedAt: 0,
        resolvedAt: 420,
        history: ['0:fired@warning', '420:resolved@warning'],
      },
    ]);
  });

  it('leaves an alert still held at `until` open with the phase the live round continues from', () => {
    const [open] = deriveAlerts(
      series([
        [0, 1.2],
        [300, 0.5],
      ]),
      load({ keepFiringSeconds: 600 }),
      at(600),
    );
    expect(shape(open)).toEqual({
      state: 'firing',
      level: 'critical',
      startedAt: 0,
      firedAt: 0,
      resolvedAt: null,
      history: ['0:fired@critical'],
    });
    // The condition stopped at 300: keep-firing-for runs from there, live as derived.
    expect(open).toMatchObject({ conditionLostAt: at(300), staleSince: null, value: 0.5, valueTs: at(300), threshold: 1.0 });
  });

  it('leaves a pending alert open at `until` when its period has not run out', () => {
    const [pending] = deriveAlerts(series([[0, 0.9]]), load({ pendingSeconds: 300 }), at(200));
    expect(shape(pending)).toEqual({
      state: 'pending',
      level: 'warning',
      startedAt: 0,
      firedAt: null,
      resolvedAt: null,
      history: ['0:pending@warning'],
    });
  });

  it('marks a firing alert stale when the values stop before `until` (policy stale), at the instant data went missing', () => {
    const [stale] = deriveAlerts(
      series([
        [0, 0.9],
        [300, 0.95],
      ]),
      load({ noData: { afterSeconds: 600, policy: 'stale' } }),
      at(1200),
    );
    expect(shape(stale).history).toEqual(['0:fired@warning', '900.001:stale@warning']);
    expect(stale).toMatchObject({ state: 'firing', staleSince: at(300) });
  });

  it('derives nothing from values that never cross a threshold', () => {
    expect(
      deriveAlerts(
        series([
          [0, 0.5],
          [300, 0.79],
        ]),
        load(),
      ),
    ).toEqual([]);
  });

  it('fires over the same stretches the preview shows for the same series (one playback for both)', () => {
    // A day of a wavy load at five-minute points, crossing both levels several times.
    const day = Array.from({ length: 289 }, (_, i): [number, number] => [
      i * 300,
      0.85 + 0.25 * Math.sin(i / 7) + 0.05 * Math.sin(i * 1.3),
    ]);
    const spec = load({ pendingSeconds: 120, keepFiringSeconds: 300 });
    const derived = deriveAlerts(series(day), spec, at(day.length * 300));
    expect(derived.length).toBeGreaterThan(2);
    // The preview's stretches: one per level while firing, from each firing change to the next.
    const stretches = derived.flatMap((a) => {
      const marks = a.events.filter((e) => ['fired', 'escalated', 'deescalated', 'resolved'].includes(e.change));
      return marks
        .filter((e) => e.change !== 'resolved')
        .map((e, i) => ({ level: e.level, from: e.at.toISOString(), to: marks[i + 1]?.at.toISOString() ?? null }));
    });
    expect(stretches).toEqual(simulateAlerts(series(day), spec, at(day.length * 300)));
  });
});
