import { supervisionInstant, supervisionLevelAt, supervisionStepMs } from './case-supervision';
import type { WorkingCalendar } from './working-calendar';

const calendar: WorkingCalendar = {
  utcOffsetMinutes: 480,
  hours: [
    { start: '08:30', end: '12:00' },
    { start: '14:00', end: '18:00' },
  ],
  workdays: [1, 2, 3, 4, 5],
  holidays: new Set(['2026-10-01']),
  extraWorkdays: new Set(),
};
const cst = (local: string) => new Date(`${local}:00+08:00`);

describe('deadline supervision (督办) climbs the hierarchy in working time', () => {
  it('steps half the stage’s allowance, at least an hour', () => {
    expect(supervisionStepMs(1)).toBe(3_600_000);
    expect(supervisionStepMs(0.5)).toBe(3_600_000);
    expect(supervisionStepMs(40)).toBe(20 * 3_600_000);
  });

  // A manhole cover: accept within 1 working hour, so one level an hour. Due Monday 2026-11-30 10:00.
  it.each<[what: string, now: string, level: number]>([
    ['before the deadline', '2026-11-30T09:59', 0],
    ['at the deadline: the community', '2026-11-30T10:00', 1],
    ['an hour late: the street', '2026-11-30T11:00', 2],
    ['two hours late at noon: the district', '2026-11-30T12:00', 3],
    ['the lunch break does not count', '2026-11-30T13:59', 3],
    ['three working hours late: the command centre', '2026-11-30T15:00', 4],
    ['and no further', '2026-12-03T15:00', 4],
  ])('%s', (_what, now, level) => {
    expect(supervisionLevelAt(calendar, cst('2026-11-30T10:00'), 1, cst(now))).toBe(level);
  });

  it('counts no time overnight, at weekends or on holidays', () => {
    // Due Friday 17:30; resolve allowance 8 h, so a level every 4 working hours.
    const due = cst('2026-11-27T17:30');
    expect(supervisionLevelAt(calendar, due, 8, cst('2026-11-30T08:00'))).toBe(1); // Monday before opening: 30 min late
    expect(supervisionInstant(calendar, due, 8, 2)).toEqual(cst('2026-11-30T12:00')); // 30 min Friday + 3.5 h Monday morning
    expect(supervisionInstant(calendar, due, 8, 1)).toEqual(due);
    // Due the day before the National Day holiday, which does not count.
    expect(supervisionInstant(calendar, cst('2026-09-30T18:00'), 2, 2)).toEqual(cst('2026-10-02T09:30'));
  });

  it('agrees with itself: the level at each instant is the level that instant begins', () => {
    const due = cst('2026-11-30T16:00');
    for (const level of [1, 2, 3, 4]) {
      const at = supervisionInstant(calendar, due, 3, level);
      expect(supervisionLevelAt(calendar, due, 3, at)).toBe(level);
      expect(supervisionLevelAt(calendar, due, 3, new Date(at.getTime() - 1))).toBe(level - 1);
    }
  });
});
