import type { AlertChange, AlertLevel } from '@cityops/contracts';
import { firingStretches, type TimelineEvent } from './alert-timeline';

const T0 = Date.parse('2026-11-30T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** A history entry: at `t` minutes, the change, the alert's level after it. */
type Entry = [t: number, change: AlertChange, level: AlertLevel];
/** A stretch as `level from–to` in minutes (`…` for still firing). */
type Shown = string;

const events = (entries: Entry[]): TimelineEvent[] => entries.map(([t, change, level]) => ({ at: at(t), change, level }));
const minutes = (d: Date) => (d.getTime() - T0) / 60_000;

/** The stretches over the window `[from, to)` minutes, each as `level from–to`. */
function stretches(entries: Entry[], from = -1000, to = 1000): Shown[] {
  return firingStretches(events(entries), { from: at(from), to: at(to) }).map(
    (s) => `${s.level} ${minutes(s.from)}–${s.to === null ? '…' : minutes(s.to)}`,
  );
}

describe('firingStretches: the levels an alert fired at, from its history', () => {
  it.each<[string, Entry[], Shown[]]>([
    ['no history: nothing', [], []],
    ['fired and still firing: one open stretch', [[0, 'fired', 'warning']], ['warning 0–…']],
    [
      'fired, then resolved: one closed stretch',
      [
        [0, 'fired', 'warning'],
        [30, 'resolved', 'warning'],
      ],
      ['warning 0–30'],
    ],
    [
      'warning → critical → warning → resolved: three stretches, each ending where the next begins',
      [
        [0, 'fired', 'warning'],
        [10, 'escalated', 'critical'],
        [25, 'deescalated', 'warning'],
        [40, 'resolved', 'warning'],
      ],
      ['warning 0–10', 'critical 10–25', 'warning 25–40'],
    ],
    [
      'pending time is not firing: the stretch starts when it fired',
      [
        [0, 'pending', 'warning'],
        [5, 'fired', 'warning'],
        [20, 'resolved', 'warning'],
      ],
      ['warning 5–20'],
    ],
    [
      'a level change while pending is not a stretch: firing starts at the level it fired at',
      [
        [0, 'pending', 'warning'],
        [2, 'escalated', 'critical'],
        [5, 'fired', 'critical'],
      ],
      ['critical 5–…'],
    ],
    [
      'a pending alert that lapsed never fired: nothing',
      [
        [0, 'pending', 'warning'],
        [3, 'lapsed', 'warning'],
      ],
      [],
    ],
    [
      'acknowledgement, staleness, escalation to a role and a filed case leave the level as it was',
      [
        [0, 'fired', 'critical'],
        [3, 'acknowledged', 'critical'],
        [4, 'escalation', 'critical'],
        [5, 'stale', 'critical'],
        [6, 'fresh', 'critical'],
        [7, 'case_filed', 'critical'],
        [9, 'resolved', 'critical'],
      ],
      ['critical 0–9'],
    ],
    [
      'fired and escalated in one write (both entries carry the new level): one stretch, no empty one',
      [
        [0, 'fired', 'critical'],
        [0, 'escalated', 'critical'],
        [8, 'resolved', 'critical'],
      ],
      ['critical 0–8'],
    ],
    [
      'fired at warning and escalated at the same instant: critical from the start, no warning of no length',
      [
        [0, 'fired', 'warning'],
        [0, 'escalated', 'critical'],
      ],
      ['critical 0–…'],
    ],
    [
      'up and down again at the same instant: the stretch of no length is left out, the one before goes on',
      [
        [0, 'fired', 'warning'],
        [5, 'escalated', 'critical'],
        [5, 'deescalated', 'warning'],
        [9, 'resolved', 'warning'],
      ],
      ['warning 0–9'],
    ],
    [
      'resolved by hand while critical: the stretch ends there',
      [
        [0, 'fired', 'notice'],
        [2, 'escalated', 'critical'],
        [6, 'resolved', 'critical'],
      ],
      ['notice 0–2', 'critical 2–6'],
    ],
  ])('%s', (_name, entries, expected) => {
    expect(stretches(entries)).toEqual(expected);
  });
});

describe('firingStretches: clipped to the window asked for', () => {
  const history: Entry[] = [
    [0, 'fired', 'warning'],
    [10, 'escalated', 'critical'],
    [25, 'deescalated', 'warning'],
    [40, 'resolved', 'warning'],
  ];
  it.each<[string, Entry[], [from: number, to: number], Shown[]]>([
    ['a window holding all of it: every stretch whole', history, [-60, 60], ['warning 0–10', 'critical 10–25', 'warning 25–40']],
    ['a window starting inside a stretch: cut at its start', history, [15, 60], ['critical 15–25', 'warning 25–40']],
    ['a window ending inside a stretch: cut at its end', history, [-60, 20], ['warning 0–10', 'critical 10–20']],
    ['a window inside one stretch: that stretch alone, cut at both ends', history, [12, 20], ['critical 12–20']],
    ['a window after it resolved: nothing', history, [40, 60], []],
    ['a window before it fired: nothing', history, [-60, 0], []],
    ['a window starting where a stretch ends: that stretch is out', history, [10, 60], ['critical 10–25', 'warning 25–40']],
    [
      'a window ending before an alert still firing: the stretch still has no end',
      [
        [0, 'fired', 'warning'],
        [10, 'escalated', 'critical'],
      ],
      [5, 20],
      ['warning 5–10', 'critical 10–…'],
    ],
  ])('%s', (_name, entries, [from, to], expected) => {
    expect(stretches(entries, from, to)).toEqual(expected);
  });
});
