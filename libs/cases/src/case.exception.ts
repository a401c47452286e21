import type { CaseAction } from '@cityops/contracts';
import { DomainException } from '@cityops/core';
import type { CaseRefusal } from './case-workflow';

export class CaseNotFoundError extends DomainException<'case_not_found'> {
  constructor(code: string) {
    super('case_not_found', 404, 'Not found', `Case ${code} was not found.`);
  }
}

export class CasePhotoNotFoundError extends DomainException<'case_photo_not_found'> {
  constructor(id: string) {
    super('case_photo_not_found', 404, 'Not found', `Photo ${id} was not found on this case.`);
  }
}

export class RoutingRuleNotFoundError extends DomainException<'routing_rule_not_found'> {
  constructor(id: string) {
    super('routing_rule_not_found', 404, 'Not found', `Routing rule ${id} was not found.`);
  }
}

export class RoutingRuleExistsError extends DomainException<'routing_rule_exists'> {
  constructor() {
    super(
      'routing_rule_exists',
      409,
      'Conflict',
      'A rule for this category and area exists already: delete it first to change its department.',
    );
  }
}

/** The case moved on between the caller's read and its action: nothing was written. */
export class CaseMovedOnError extends DomainException<'case_moved_on'> {
  constructor(code: string, state: string) {
    super('case_moved_on', 409, 'Conflict', `Case ${code} is ${state} now: look at it again before acting.`);
  }
}

const REFUSALS: Record<CaseRefusal, { status: number; path?: string; message: string }> = {
  final: { status: 409, message: 'the case is closed, invalid, merged or cancelled: nothing more can be done to it' },
  state: { status: 409, message: 'not from the state the case is in' },
  role: { status: 403, message: 'not for your roles' },
  scope: { status: 403, message: 'the case lies outside your areas' },
  department: { status: 403, message: 'the case is not your department’s' },
  same_department: { status: 400, path: 'department', message: 'the case is with this department already' },
  reason: { status: 400, path: 'reason', message: 'a reason is required' },
  photo: { status: 400, path: 'photoIds', message: 'a photo of the fix is required (upload it to the case first)' },
  department_missing: { status: 400, path: 'department', message: 'a department is required' },
  rating: { status: 400, path: 'rating', message: 'the reporter closes with a rating, 1–5' },
  target: { status: 400, path: 'mergeInto', message: 'the case this one duplicates is required' },
};

/** The workflow said no: 409 for the state, 403 for who acts, 400 (naming the field) for what is missing. */
export class CaseActionRefusedError extends DomainException<'case_action_refused'> {
  constructor(
    /** A workflow action, or `split` / `photo`, which the service checks itself. */
    action: CaseAction | 'split' | 'photo',
    readonly refusal: CaseRefusal,
  ) {
    const r = REFUSALS[refusal];
    super(
      'case_action_refused',
      r.status,
      r.status === 403 ? 'Forbidden' : r.status === 409 ? 'Conflict' : 'Validation failed',
      `${action}: ${r.message}.`,
      r.path ? [{ path: r.path, message: r.message }] : undefined,
    );
  }
}
