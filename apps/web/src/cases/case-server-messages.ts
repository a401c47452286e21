import type { CaseState } from '@cityops/contracts';
import type { KnownServerMessage } from '../forms/server-messages';
import type { Translate } from '../i18n';
import { STATE_LABELS } from './case-labels';

/** The case workflow's messages on fields (`errors[].message`), said in the page's language. */
export const CASE_SERVER_MESSAGES: KnownServerMessage[] = [
  { pattern: /^no such department \(GET \/api\/departments\)$/, key: 'caseSrvNoSuchDepartment' },
  { pattern: /^photos must be uploaded to this case and not yet used by another action$/, key: 'caseSrvPhotosUnusable' },
  { pattern: /^no such case$/, key: 'caseSrvNoSuchCase' },
  { pattern: /^a case cannot be merged into itself$/, key: 'caseSrvMergeSelf' },
  { pattern: /^that case is \w+: merge into one still open$/, key: 'caseSrvMergeFinal' },
  { pattern: /^the case is with this department already$/, key: 'caseSrvSameDepartment' },
  { pattern: /^a reason is required$/, key: 'caseSrvNeedReason' },
  { pattern: /^a photo of the fix is required/, key: 'caseSrvNeedPhoto' },
  { pattern: /^a department is required$/, key: 'caseSrvNeedDepartment' },
  { pattern: /^the reporter closes with a rating/, key: 'caseSrvNeedRating' },
  { pattern: /^the case this one duplicates is required$/, key: 'caseSrvNeedTarget' },
  // The statistics window (`to` before `from`); the view checks before asking, so this is the server's word should it still refuse.
  { pattern: /^must be after from$/, key: 'caseStatsSrvToAfterFrom' },
];

export const CASE_MOVED_ON = 'urn:cityops:problem:case_moved_on';
export const CASE_ACTION_REFUSED = 'urn:cityops:problem:case_action_refused';
export const CASE_NOT_FOUND = 'urn:cityops:problem:case_not_found';

/** `Case GZ-TH-… is accepted now: …` → `accepted`. */
export function movedOnState(detail: string | undefined): CaseState | null {
  const match = /^Case \S+ is (\w+) now/.exec(detail ?? '');
  const state = match?.[1];
  return state && state in STATE_LABELS ? (state as CaseState) : null;
}

/**
 * What a refused action (403, 409: who acts, the state the case is in) or a case that moved on
 * says in the page's language, from the problem's detail; null for a detail not known here
 * (it is then shown as the server wrote it).
 */
export function caseRefusalText(type: string, detail: string | undefined, t: Translate): string | null {
  if (type === CASE_MOVED_ON) {
    const state = movedOnState(detail);
    return t('caseMovedOn', { state: state ? t(STATE_LABELS[state]) : '?' });
  }
  if (type === CASE_NOT_FOUND) return t('caseNotFound');
  if (type !== CASE_ACTION_REFUSED || !detail) return null;
  if (/: not from the state the case is in\.$/.test(detail)) return t('caseRefusedState');
  if (/: the case is closed, invalid, merged or cancelled/.test(detail)) return t('caseRefusedFinal');
  if (/: not for your roles\.$/.test(detail)) return t('caseRefusedRole');
  if (/: the case lies outside your areas\.$/.test(detail)) return t('caseRefusedScope');
  if (/: the case is not your department’s\.$/.test(detail)) return t('caseRefusedDepartment');
  return null;
}
