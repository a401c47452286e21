import type { CaseAction, CaseActionRequest, CaseState, SplitCaseRequest } from '@cityops/contracts';
import type { MessageKey } from '../i18n';

/** The inputs an action can take on the page. */
export type ActionField = 'department' | 'reason' | 'photoIds' | 'rating' | 'mergeInto' | 'comment';
export const ACTION_FIELDS: readonly ActionField[] = ['department', 'reason', 'photoIds', 'rating', 'mergeInto', 'comment'];

export interface ActionInputs {
  /** Asked for, and refused empty before anything is sent. */
  required: ActionField[];
  /** Offered. */
  optional: ActionField[];
}

/**
 * What each action needs, as the server's workflow checks it: a department to dispatch or reroute
 * to, a reason to give a case back, refuse a fix, invalidate or cancel it, the after photo of a
 * fix, the reporter's rating to close, the surviving case to merge into. Every action may carry a
 * comment for the timeline, except those whose reason is the comment.
 */
export function actionInputs(action: CaseAction): ActionInputs {
  switch (action) {
    case 'dispatch':
    case 'reroute':
      return { required: ['department'], optional: ['comment'] };
    case 'return':
    case 'reject':
    case 'invalidate':
    case 'cancel':
      return { required: ['reason'], optional: [] };
    case 'resolve':
      return { required: ['photoIds'], optional: ['comment'] };
    case 'close':
      return { required: ['rating'], optional: ['comment'] };
    case 'merge':
      return { required: ['mergeInto'], optional: ['comment'] };
    case 'accept':
    case 'start':
    case 'verify':
      return { required: [], optional: ['comment'] };
  }
}

/** Actions that undo work or end a case: shown apart, in red, and asked about before sending. */
const GRAVE: readonly CaseAction[] = ['return', 'reject', 'invalidate', 'cancel', 'merge'];

export function isGraveAction(action: CaseAction): boolean {
  return GRAVE.includes(action);
}

/** The order the buttons are shown in: the next step first, then the side roads. */
const ORDER: readonly CaseAction[] = [
  'dispatch',
  'accept',
  'start',
  'resolve',
  'verify',
  'close',
  'reroute',
  'return',
  'reject',
  'merge',
  'invalidate',
  'cancel',
];

export function orderActions(actions: readonly CaseAction[]): CaseAction[] {
  return ORDER.filter((a) => actions.includes(a));
}

export interface ActionFormValues {
  department: string;
  reason: string;
  comment: string;
  /** 1–5, or null when none chosen. */
  rating: number | null;
  mergeInto: string;
  /** Photos uploaded to the case for this action. */
  photoIds: string[];
}

export const EMPTY_ACTION_FORM: ActionFormValues = {
  department: '',
  reason: '',
  comment: '',
  rating: null,
  mergeInto: '',
  photoIds: [],
};

export type ActionCheck = { ok: true; request: CaseActionRequest } | { ok: false; problems: Partial<Record<ActionField, MessageKey[]>> };

const CODE = /^[A-Za-z0-9]{1,6}-[A-Za-z0-9]{1,6}-\d{8}-\d{4,9}$/;

/**
 * The request of an action from what was typed, with the state the page saw (`expectedState`: the
 * server answers 409 and changes nothing when the case has moved on since), or the fields to fix.
 * Only the inputs the action takes are sent.
 */
export function actionRequest(
  action: CaseAction,
  values: ActionFormValues,
  seen: { state: CaseState; code: string; department: string | null },
): ActionCheck {
  const { required, optional } = actionInputs(action);
  const takes = new Set([...required, ...optional]);
  const problems: Partial<Record<ActionField, MessageKey[]>> = {};
  const request: CaseActionRequest = { action, expectedState: seen.state };
  const department = values.department.trim();
  const reason = values.reason.trim();
  const comment = values.comment.trim();
  const mergeInto = values.mergeInto.trim().toUpperCase();

  if (takes.has('department')) {
    if (!department) problems.department = ['caseNeedDepartment'];
    else if (action === 'reroute' && department === seen.department) problems.department = ['caseSameDepartment'];
    else request.department = department;
  }
  if (takes.has('reason')) {
    if (!reason) problems.reason = ['caseNeedReason'];
    else if (reason.length > 2000) problems.reason = ['caseTooLong'];
    else request.reason = reason;
  }
  if (takes.has('photoIds')) {
    if (values.photoIds.length === 0) problems.photoIds = ['caseNeedPhoto'];
    else request.photoIds = values.photoIds.slice(0, 10);
  }
  if (takes.has('rating')) {
    if (values.rating === null || !Number.isInteger(values.rating) || values.rating < 1 || values.rating > 5)
      problems.rating = ['caseNeedRating'];
    else request.rating = values.rating;
  }
  if (takes.has('mergeInto')) {
    if (!mergeInto) problems.mergeInto = ['caseNeedMergeTarget'];
    else if (!CODE.test(mergeInto)) problems.mergeInto = ['caseBadCode'];
    else if (mergeInto === seen.code.toUpperCase()) problems.mergeInto = ['caseMergeSelf'];
    else request.mergeInto = mergeInto;
  }
  if (takes.has('comment') && comment) {
    if (comment.length > 2000) problems.comment = ['caseTooLong'];
    else request.comment = comment;
  }
  return Object.keys(problems).length ? { ok: false, problems } : { ok: true, request };
}

/** One new case to split off: what it is about (its place is the original's). */
export interface SplitPart {
  category: string;
  description: string;
}

/** A report rarely holds more than two or three problems; more is a new report, not a split. */
export const MAX_SPLIT_PARTS = 5;

export type SplitField = 'reason' | `category.${number}` | `description.${number}`;

export type SplitCheck = { ok: true; requests: SplitCaseRequest[] } | { ok: false; problems: Partial<Record<SplitField, MessageKey[]>> };

/**
 * The split requests of the new cases described (one request each, as the API splits one at a
 * time), all carrying the same reason; or the fields to fix. The location is left out: the server
 * takes the original case's.
 */
export function splitRequests(parts: readonly SplitPart[], reason: string): SplitCheck {
  const problems: Partial<Record<SplitField, MessageKey[]>> = {};
  const why = reason.trim();
  if (!why) problems.reason = ['caseNeedReason'];
  else if (why.length > 2000) problems.reason = ['caseTooLong'];
  const requests: SplitCaseRequest[] = [];
  parts.forEach((part, i) => {
    const description = part.description.trim();
    if (!part.category) problems[`category.${i}`] = ['caseSplitNeedCategory'];
    if (!description) problems[`description.${i}`] = ['caseSplitNeedDescription'];
    else if (description.length > 4000) problems[`description.${i}`] = ['caseSplitTooLong'];
    requests.push({ category: part.category, description, reason: why });
  });
  return Object.keys(problems).length ? { ok: false, problems } : { ok: true, requests };
}
