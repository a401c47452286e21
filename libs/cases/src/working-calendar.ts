const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Ten years of days without a working minute means the calendar has none. */
const MAX_DAYS = 3660;

/** A working period of the day, local time, e.g. { start: '08:30', end: '12:00' }. */
export interface WorkingPeriod {
  start: string;
  end: string;
}

/**
 * When the departments work: deadlines (accept within N working hours, resolve within N working
 * days) run only inside these hours. Local time is a fixed offset from UTC (China has no daylight
 * saving).
 */
export interface WorkingCalendar {
  /** Minutes east of UTC (China: 480). */
  utcOffsetMinutes: number;
  /** A working day's periods, in order and not overlapping. */
  hours: readonly WorkingPeriod[];
  /** Working days of an ordinary week, ISO numbering (1 = Monday … 7 = Sunday). */
  workdays: readonly number[];
  /** Local dates (YYYY-MM-DD) off although ordinarily working days: public holidays. */
  holidays: ReadonlySet<string>;
  /** Local dates worked although ordinarily off: China's make-up working days (调休上班). */
  extraWorkdays: ReadonlySet<string>;
}

function minutesOf(hhmm: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!(minutes >= 0 && minutes <= 24 * 60)) throw new RangeError(`not a time of day (HH:MM): ${hhmm}`);
  return minutes;
}

/** The local day's working periods as epoch-ms intervals, empty on a day off. `dayStart` is the local midnight in epoch ms. */
function periodsOf(calendar: WorkingCalendar, dayStart: number): [number, number][] {
  const local = new Date(dayStart + calendar.utcOffsetMinutes * MINUTE_MS);
  const date = local.toISOString().slice(0, 10);
  const isoWeekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  const working = calendar.extraWorkdays.has(date) || (calendar.workdays.includes(isoWeekday) && !calendar.holidays.has(date));
  if (!working) return [];
  return calendar.hours.map((p) => [dayStart + minutesOf(p.start) * MINUTE_MS, dayStart + minutesOf(p.end) * MINUTE_MS]);
}

/** Local midnight (epoch ms) of the local day holding `t`. */
function localMidnight(calendar: WorkingCalendar, t: number): number {
  const offset = calendar.utcOffsetMinutes * MINUTE_MS;
  return Math.floor((t + offset) / DAY_MS) * DAY_MS - offset;
}

/**
 * The instant `durationMs` of working time after `start`: the clock runs only inside working
 * periods (from the next opening when `start` is outside one). Zero answers `start` itself.
 */
export function addWorkingTime(calendar: WorkingCalendar, start: Date, durationMs: number): Date {
  if (!(durationMs >= 0)) throw new RangeError(`a duration of working time cannot be ${durationMs}`);
  if (durationMs === 0) return new Date(start.getTime());
  let left = durationMs;
  let day = localMidnight(calendar, start.getTime());
  for (let n = 0; n < MAX_DAYS; n++, day += DAY_MS) {
    for (const [open, close] of periodsOf(calendar, day)) {
      const from = Math.max(open, start.getTime());
      if (from >= close) continue;
      if (close - from >= left) return new Date(from + left);
      left -= close - from;
    }
  }
  throw new RangeError('the working calendar has no working time in the next ten years');
}

/** Working time (ms) between two instants; 0 when `to` is not after `from`. */
export function workingTimeBetween(calendar: WorkingCalendar, from: Date, to: Date): number {
  let total = 0;
  const end = to.getTime();
  for (let day = localMidnight(calendar, from.getTime()); day < end; day += DAY_MS) {
    for (const [open, close] of periodsOf(calendar, day)) {
      const a = Math.max(open, from.getTime());
      const b = Math.min(close, end);
      if (b > a) total += b - a;
    }
  }
  return total;
}
