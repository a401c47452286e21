import { addWorkingTime, type WorkingCalendar } from '@cityops/cases';
import { CHINA_2026_HOLIDAYS, CHINA_2026_MAKEUP_WORKDAYS } from './china-2026-holidays';

const HOUR = 3_600_000;
const calendar: WorkingCalendar = {
  utcOffsetMinutes: 480,
  hours: [
    { start: '09:00', end: '12:00' },
    { start: '14:00', end: '18:00' },
  ],
  workdays: [1, 2, 3, 4, 5],
  holidays: new Set(CHINA_2026_HOLIDAYS),
  extraWorkdays: new Set(CHINA_2026_MAKEUP_WORKDAYS),
};
const cst = (local: string) => new Date(`${local}:00+08:00`);
const localDay = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 10);

describe('China’s 2026 holidays (the demo year)', () => {
  it('lists the State Council’s 33 days off and 6 make-up working days, each a real date, none twice', () => {
    expect(CHINA_2026_HOLIDAYS).toHaveLength(33);
    expect(CHINA_2026_MAKEUP_WORKDAYS).toHaveLength(6);
    for (const day of [...CHINA_2026_HOLIDAYS, ...CHINA_2026_MAKEUP_WORKDAYS]) {
      expect(new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10)).toBe(day);
    }
    expect(new Set([...CHINA_2026_HOLIDAYS, ...CHINA_2026_MAKEUP_WORKDAYS]).size).toBe(39);
    // Make-up days fall on weekends, as 调休 does.
    expect(CHINA_2026_MAKEUP_WORKDAYS.map((d) => new Date(`${d}T00:00:00Z`).getUTCDay()).every((w) => w === 0 || w === 6)).toBe(true);
  });

  it.each<[what: string, start: string, hours: number, dueDay: string]>([
    ['a case due the next working hour before National Day waits until 8 October', '2026-09-30T17:30', 1, '2026-10-08'],
    ['the Sunday before National Day (20 September) is worked', '2026-09-18T17:30', 1, '2026-09-20'],
    ['after National Day, Saturday 10 October is worked', '2026-10-09T17:30', 1, '2026-10-10'],
    ['before the Spring Festival, Saturday 14 February is worked', '2026-02-13T17:30', 1, '2026-02-14'],
    ['after it, work resumes on Tuesday 24 February', '2026-02-14T17:30', 1, '2026-02-24'],
  ])('%s', (_what, start, hours, dueDay) => {
    expect(localDay(addWorkingTime(calendar, cst(start), hours * HOUR))).toBe(dueDay);
  });
});
