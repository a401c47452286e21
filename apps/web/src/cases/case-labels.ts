import type { CaseAction, CasePhotoStage, CasePriority, CaseSource, CaseState, CaseSummary } from '@cityops/contracts';
import type { Lang, MessageKey, Translate } from '../i18n';

export const STATE_LABELS: Record<CaseState, MessageKey> = {
  reported: 'caseStateReported',
  dispatched: 'caseStateDispatched',
  accepted: 'caseStateAccepted',
  in_progress: 'caseStateInProgress',
  resolved: 'caseStateResolved',
  verified: 'caseStateVerified',
  closed: 'caseStateClosed',
  returned: 'caseStateReturned',
  invalid: 'caseStateInvalid',
  duplicate: 'caseStateDuplicate',
  cancelled: 'caseStateCancelled',
};

/**
 * One colour per state, the same on the badges, the board's column heads and the map's points:
 * waiting for the command centre in amber, with a department in blues, fixed in greens, sent back
 * in red, ended in grey.
 */
export const STATE_COLORS: Record<CaseState, string> = {
  reported: '#ffb020',
  returned: '#ff5a4f',
  dispatched: '#35c6ff',
  accepted: '#5b8cff',
  in_progress: '#a77bff',
  resolved: '#2fd07a',
  verified: '#19b39a',
  closed: '#7d8a9c',
  invalid: '#5b6675',
  duplicate: '#5b6675',
  cancelled: '#5b6675',
};

export const ACTION_LABELS: Record<CaseAction, MessageKey> = {
  dispatch: 'caseActionDispatch',
  reroute: 'caseActionReroute',
  accept: 'caseActionAccept',
  return: 'caseActionReturn',
  start: 'caseActionStart',
  resolve: 'caseActionResolve',
  verify: 'caseActionVerify',
  reject: 'caseActionReject',
  close: 'caseActionClose',
  invalidate: 'caseActionInvalidate',
  merge: 'caseActionMerge',
  cancel: 'caseActionCancel',
};

/** Timeline entries the workflow's actions do not name: written by the system, or by splitting and merging. */
const OTHER_EVENTS: Partial<Record<string, MessageKey>> = {
  filed: 'caseEventFiled',
  note: 'caseEventNote',
  escalated: 'caseEventEscalated',
  supervised: 'caseEventSupervised',
  split: 'caseEventSplit',
  split_from: 'caseEventSplitFrom',
  merged_in: 'caseEventMergedIn',
  detected: 'caseEventDetected',
};

/** A timeline entry's action: an action of the workflow, or `filed`, `note`, `escalated`. */
export function eventLabel(action: string): MessageKey | null {
  if (action in ACTION_LABELS) return ACTION_LABELS[action as CaseAction];
  return OTHER_EVENTS[action] ?? null;
}

const SUPERVISION_LEVELS: Record<number, MessageKey> = {
  1: 'caseSupervisionLevel1',
  2: 'caseSupervisionLevel2',
  3: 'caseSupervisionLevel3',
  4: 'caseSupervisionLevel4',
};

/** 督办: who supervises the overdue stage now, by the supervising area's name, else by its level. */
export function supervisionText(supervision: NonNullable<CaseSummary['supervision']>, t: Translate): string {
  const level = SUPERVISION_LEVELS[supervision.level];
  return t('caseSupervision', {
    area: supervision.areaName ?? (level ? t(level) : String(supervision.level)),
    stage: t(supervision.stage === 'accept' ? 'caseSupervisionAccept' : 'caseSupervisionResolve'),
  });
}

export const SOURCE_LABELS: Record<CaseSource, MessageKey> = {
  citizen: 'caseSourceCitizen',
  grid_worker: 'caseSourceGridWorker',
  staff: 'caseSourceStaff',
  alert: 'caseSourceAlert',
  machine: 'caseSourceMachine',
  enterprise: 'caseSourceEnterprise',
};

/** A glyph per source, next to its label (never alone: the label says it). */
export const SOURCE_ICONS: Record<CaseSource, string> = {
  citizen: '☎',
  grid_worker: '⌂',
  staff: '✎',
  alert: '⚠',
  machine: '◎',
  enterprise: '▣',
};

export const PRIORITY_LABELS: Record<CasePriority, MessageKey> = {
  low: 'casePriorityLow',
  normal: 'casePriorityNormal',
  high: 'casePriorityHigh',
  urgent: 'casePriorityUrgent',
};

export const PHOTO_STAGE_LABELS: Record<CasePhotoStage, MessageKey> = {
  report: 'casePhotoStageReport',
  resolve: 'casePhotoStageResolve',
  verify: 'casePhotoStageVerify',
  note: 'casePhotoStageNote',
};

/** A name with an optional English one: the English where the page speaks English and there is one. */
export function localized(name: string, nameEn: string | null | undefined, lang: Lang): string {
  return lang === 'en' && nameEn ? nameEn : name;
}
