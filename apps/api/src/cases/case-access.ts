import type { CaseCaller } from '@cityops/cases';
import { hasRole, type Principal, scopeRoots } from '@cityops/identity';
import type { Policy } from '../http/endpoint.decorator';

/** Every person who works cases; what each may do to one is the workflow's to say (403 naming why). */
export const CASE_WORKERS = { users: ['commander', 'operator', 'handler', 'grid_worker'], scoped: true } as const satisfies Policy;
/** Readers of cases: the workers, and analysts and viewers for the numbers. */
export const CASE_READERS = {
  users: ['commander', 'operator', 'handler', 'grid_worker', 'analyst', 'viewer'],
  scoped: true,
} as const satisfies Policy;
/**
 * What the wall shows of cases (their points, the loop's numbers): the readers, and display
 * devices within their scope (a display reads what the wall shows; cases' details stay closed to it).
 */
export const CASE_WALL_READERS = { ...CASE_READERS, displays: true } as const satisfies Policy;

/** Whether the principal may read the cases' points (the layer catalog lists the cases layer only then). */
export function mayReadCaseMap(principal: Principal): boolean {
  return principal.kind === 'display' || hasRole(principal, CASE_WALL_READERS.users);
}

/** The principal as the cases' service takes a caller: who, with which roles, department and sight. */
export function caseCallerOf(principal: Principal): CaseCaller {
  return {
    userId: principal.subject,
    username: principal.username,
    roles: principal.roles,
    department: principal.department,
    scope: scopeRoots(principal.scope),
  };
}
