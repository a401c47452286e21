import { addWorkingTime, workingTimeBetween, type WorkingCalendar } from './working-calendar';

const HOUR_MS = 3_600_000;

/** Who supervises at each level (督办): the case's community, street, district, then the command centre (the city). */
export const SUPERVISION_LEVELS = ['community', 'street', 'district', 'city'] as const;
export const TOP_SUPERVISION_LEVEL = SUPERVISION_LEVELS.length;

/**
 * Working time between one supervision level and the next: half the stage's allowance, at least
 * an hour. A manhole cover (accept within 1 h) climbs an hour a level; illegal construction
 * (resolve within 40 h) a level every 20 working hours.
 */
export function supervisionStepMs(stageHours: number): number {
  return Math.max(HOUR_MS, (stageHours * HOUR_MS) / 2);
}

/** The supervision level a stage has reached at `now`: 0 before its deadline, 1 at it, one more each step after, at most 4. */
export function supervisionLevelAt(calendar: WorkingCalendar, dueAt: Date, stageHours: number, now: Date): number {
  if (now.getTime() < dueAt.getTime()) return 0;
  const late = workingTimeBetween(calendar, dueAt, now);
  return Math.min(TOP_SUPERVISION_LEVEL, 1 + Math.floor(late / supervisionStepMs(stageHours)));
}

/** When the stage reaches `level` (1–4): the deadline itself for level 1, then a step of working time per level. */
export function supervisionInstant(calendar: WorkingCalendar, dueAt: Date, stageHours: number, level: number): Date {
  if (level <= 1) return dueAt;
  return addWorkingTime(calendar, dueAt, (level - 1) * supervisionStepMs(stageHours));
}
