import { addWorkingTime, workingTimeBetween, type WorkingCalendar } from './working-calendar';

const HOUR = 3_600_000;

/** Office hours in Guangzhou: 08:30–12:00 and 14:00–18:00, Monday to Friday; one holiday and one make-up Saturday. */
const office: WorkingCalendar = {
  utcOffsetMinutes: 480,
  hours: [
    { start: '08:30', end: '12:00' },
    { start: '14:00', end: '18:00' },
  ],
  workdays: [1, 2, 3, 4, 5],
  holidays: new Set(['2026-12-01']),
  extraWorkdays: new Set(['2026-12-05']),
};

/** Local (UTC+8) time as an instant. */
const cst = (local: string) => new Date(`${local}:00+08:00`);
/** An instant as local (UTC+8) `YYYY-MM-DD HH:MM`. */
const local = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

describe('working calendar: a deadline runs only in working hours', () => {
  it.each<[what: string, start: string, hours: number, due: string]>([
    ['inside a period, it is plain addition', '2026-11-24T09:00', 2, '2026-11-24 11:00'],
    ['the lunch break does not count', '2026-11-24T11:00', 2, '2026-11-24 15:00'],
    ['reported at lunch, the clock starts at 14:00', '2026-11-24T12:30', 1, '2026-11-24 15:00'],
    ['reported before opening, it starts at 08:30', '2026-11-24T07:00', 0.5, '2026-11-24 09:00'],
    ['reported in the evening, it starts the next morning', '2026-11-24T20:00', 1, '2026-11-25 09:30'],
    ['Friday evening runs over the weekend to Monday', '2026-11-27T17:00', 2, '2026-11-30 09:30'],
    ['a holiday (Tuesday 1 December) is skipped', '2026-11-30T17:00', 2, '2026-12-02 09:30'],
    ['a make-up Saturday (5 December) is worked', '2026-12-04T17:30', 1, '2026-12-05 09:00'],
    ['a full working day is 7.5 hours', '2026-11-24T08:30', 7.5, '2026-11-24 18:00'],
    ['24 working hours are three days of 7.5 and an hour and a half', '2026-11-24T08:30', 24, '2026-11-27 10:00'],
  ])('%s', (_what, start, hours, due) => {
    expect(local(addWorkingTime(office, cst(start), hours * HOUR))).toBe(due);
  });

  it('answers the start for no time at all, even outside working hours', () => {
    expect(addWorkingTime(office, cst('2026-11-28T23:00'), 0)).toEqual(cst('2026-11-28T23:00'));
  });

  it('measures the working time between two instants, the inverse of adding it', () => {
    expect(workingTimeBetween(office, cst('2026-11-27T17:00'), cst('2026-11-30T09:30'))).toBe(2 * HOUR);
    expect(workingTimeBetween(office, cst('2026-11-30T09:30'), cst('2026-11-27T17:00'))).toBe(0);
    const starts = ['2026-11-24T07:00', '2026-11-24T11:45', '2026-11-27T17:59', '2026-11-30T16:00', '2026-12-04T18:30'];
    for (const start of starts) {
      for (const hours of [0.25, 1, 3.5, 7.5, 20, 40]) {
        const due = addWorkingTime(office, cst(start), hours * HOUR);
        expect({ start, hours, back: workingTimeBetween(office, cst(start), due) / HOUR }).toEqual({ start, hours, back: hours });
      }
    }
  });

  it('refuses a negative duration and a calendar without working time', () => {
    expect(() => addWorkingTime(office, cst('2026-11-24T09:00'), -1)).toThrow(RangeError);
    expect(() => addWorkingTime({ ...office, workdays: [], extraWorkdays: new Set() }, cst('2026-11-24T09:00'), HOUR)).toThrow(
      /no working time/,
    );
    expect(() => addWorkingTime({ ...office, hours: [{ start: '8:30', end: '12:00' }] }, cst('2026-11-24T09:00'), HOUR)).toThrow(/HH:MM/);
  });
});
