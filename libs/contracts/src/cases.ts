import { z } from 'zod';

/**
 * A case's life (网格化闭环): reported → dispatched → accepted → in progress → resolved → verified
 * → closed, with the side roads returned (退单, back to the command centre), invalid, duplicate
 * (merged into another case) and cancelled.
 */
export const CASE_STATES = [
  'reported',
  'dispatched',
  'accepted',
  'in_progress',
  'resolved',
  'verified',
  'closed',
  'returned',
  'invalid',
  'duplicate',
  'cancelled',
] as const;
export const caseStateSchema = z.enum(CASE_STATES).meta({ id: 'CaseState' });
export type CaseState = z.output<typeof caseStateSchema>;

/** States nothing leaves. */
export const FINAL_CASE_STATES: readonly CaseState[] = ['closed', 'invalid', 'duplicate', 'cancelled'];

/**
 * What can be done to a case. `dispatch`/`reroute`, `invalidate`, `merge`: the command centre;
 * `accept`, `return`, `start`, `resolve`: the responsible department's handlers; `verify` and
 * `reject` (the fix does not hold: reopened): a grid worker of the case's grid, on site; `close`
 * (with the reporter's rating); `cancel`: the reporter, or the command centre.
 */
export const CASE_ACTIONS = [
  'dispatch',
  'reroute',
  'accept',
  'return',
  'start',
  'resolve',
  'verify',
  'reject',
  'close',
  'invalidate',
  'merge',
  'cancel',
] as const;
export const caseActionSchema = z.enum(CASE_ACTIONS).meta({ id: 'CaseAction' });
export type CaseAction = z.output<typeof caseActionSchema>;

/** The reporter's rating when a case closes: 1 (poor) to 5 (very good). */
export const caseRatingSchema = z.number().int().min(1).max(5);
