import type { CaseState, CaseSummary } from '@cityops/contracts';
import { translate, type Lang } from '../i18n';

/** The deadline a case runs against now: to accept while dispatched, to resolve while accepted or in progress. */
export interface CaseDeadline {
  stage: 'accept' | 'resolve';
  dueAt: number;
  /** Negative once passed. */
  remainingMs: number;
  overdue: boolean;
}

const ACCEPT_STATES: readonly CaseState[] = ['dispatched'];
const RESOLVE_STATES: readonly CaseState[] = ['accepted', 'in_progress'];

/**
 * The running deadline of a case at `now`, or null when it runs against none (not dispatched yet,
 * resolved, closed…). Overdue when the time has passed here or the server says so (its clock rules).
 */
export function runningDeadline(
  c: Pick<CaseSummary, 'state' | 'acceptDueAt' | 'resolveDueAt' | 'overdue'>,
  now: number,
): CaseDeadline | null {
  const stage = ACCEPT_STATES.includes(c.state) ? 'accept' : RESOLVE_STATES.includes(c.state) ? 'resolve' : null;
  if (!stage) return null;
  const due = stage === 'accept' ? c.acceptDueAt : c.resolveDueAt;
  const dueAt = due ? Date.parse(due) : Number.NaN;
  if (Number.isNaN(dueAt)) return null;
  const remainingMs = dueAt - now;
  return { stage, dueAt, remainingMs, overdue: remainingMs <= 0 || c.overdue === stage };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A span as a dispatcher reads it at a glance: days and hours, hours and minutes, minutes, or
 * "under a minute". Rounded down, so that "0 min" is never shown while time is left.
 */
export function formatSpan(ms: number, lang: Lang): string {
  const span = Math.abs(ms);
  if (span < MINUTE) return translate(lang, 'caseSpanUnderMinute');
  const d = Math.floor(span / DAY);
  const h = Math.floor((span % DAY) / HOUR);
  const m = Math.floor((span % HOUR) / MINUTE);
  if (d > 0) return h > 0 ? translate(lang, 'caseSpanDH', { d, h }) : translate(lang, 'caseSpanD', { d });
  if (h > 0) return m > 0 ? translate(lang, 'caseSpanHM', { h, m }) : translate(lang, 'caseSpanH', { h });
  return translate(lang, 'caseSpanM', { m });
}

/** "3 h 12 min left to accept" / "overdue by 25 min (resolve)": the countdown of a running deadline. */
export function formatCountdown(deadline: CaseDeadline, lang: Lang): string {
  const span = formatSpan(deadline.remainingMs, lang);
  if (deadline.overdue) {
    return translate(lang, deadline.stage === 'accept' ? 'caseAcceptOverdue' : 'caseResolveOverdue', {
      span: deadline.remainingMs <= 0 ? span : translate(lang, 'caseSpanUnderMinute'),
    });
  }
  return translate(lang, deadline.stage === 'accept' ? 'caseAcceptLeft' : 'caseResolveLeft', { span });
}
