import type { CaseDetail, CaseSummary } from '@cityops/contracts';
import type { Lang, Translate } from '../i18n';

/**
 * The worker's open cases in the order the phone shows them: those waiting for the worker's check
 * on site (`resolved`) first, then the rest; newest first within each (the server's order, kept).
 */
export function orderForWorker(cases: readonly CaseSummary[]): CaseSummary[] {
  const waiting = cases.filter((c) => c.state === 'resolved');
  const rest = cases.filter((c) => c.state !== 'resolved');
  const newest = (a: CaseSummary, b: CaseSummary) => Date.parse(b.createdAt) - Date.parse(a.createdAt);
  return [...waiting.sort(newest), ...rest.sort(newest)];
}

export interface Deadline {
  stage: 'accept' | 'resolve';
  at: string;
  overdue: boolean;
}

/** The deadline that runs now: to accept while dispatched, to resolve while accepted or in progress. */
export function currentDeadline(c: Pick<CaseSummary, 'state' | 'acceptDueAt' | 'resolveDueAt' | 'overdue'>): Deadline | null {
  if (c.state === 'dispatched' && c.acceptDueAt) return { stage: 'accept', at: c.acceptDueAt, overdue: c.overdue === 'accept' };
  if ((c.state === 'accepted' || c.state === 'in_progress') && c.resolveDueAt) {
    return { stage: 'resolve', at: c.resolveDueAt, overdue: c.overdue === 'resolve' };
  }
  return null;
}

/** Whether the worker may check this case on site now (the server says so in `availableActions`). */
export function mayVerify(c: Pick<CaseDetail, 'state' | 'availableActions'>): boolean {
  return c.state === 'resolved' && (c.availableActions.includes('verify') || c.availableActions.includes('reject'));
}

/** Whether the worker, as the case's reporter, may close it with a rating. */
export function mayClose(c: Pick<CaseDetail, 'state' | 'availableActions'>): boolean {
  return c.state === 'verified' && c.availableActions.includes('close');
}

/**
 * The text of a verify (its comment) or a reject (its reason) with the on-site photos mentioned:
 * the workflow's verify and reject take no photo ids, so the photos uploaded for the check
 * (stage `verify`) are named in the words the timeline keeps.
 */
export function withPhotoMention(text: string, photoIds: readonly string[], t: Translate): string | undefined {
  const words = text.trim();
  if (photoIds.length === 0) return words || undefined;
  const mention = t('mPhotoMention', { n: photoIds.length, ids: photoIds.map((id) => id.slice(0, 8)).join(', ') });
  return words ? `${words}\n${mention}` : mention;
}

/**
 * The department a case was sent to, in the page's language (the Chinese name when there is no
 * English one; the code when the server knew no name); null while it has none. A case filed before
 * `departmentNameEn` existed may still be kept on the phone without it.
 */
export function departmentOf(
  c: Pick<CaseSummary, 'department' | 'departmentName'> & { departmentNameEn?: string | null },
  lang: Lang,
): string | null {
  if (!c.department) return null;
  const name = c.departmentName ?? c.department;
  return lang === 'en' ? (c.departmentNameEn ?? name) : name;
}
