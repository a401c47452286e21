import { FINAL_CASE_STATES, type CaseAction, type CaseState, type Role } from '@cityops/contracts';

/** What the workflow needs to know of a case. */
export interface CaseFacts {
  state: CaseState;
  /** The department the case is dispatched to; null before dispatch. */
  departmentId: string | null;
}

/** Who acts, as the server knows them (never as the client says). */
export interface CaseActor {
  roles: readonly Role[];
  /** The departments the actor handles cases for. */
  departmentIds: readonly string[];
  /** The case's grid lies within the actor's area scope (always true for a city-wide scope). */
  inScope: boolean;
  /** The actor filed the case (a citizen following it by its token counts too). */
  isReporter: boolean;
}

/** What comes with an action; each action says which it needs. */
export interface CaseActionInput {
  action: CaseAction;
  /** dispatch, reroute: the department to send it to. */
  departmentId?: string | null;
  /** return, reject, invalidate, and cancel by staff: why. */
  reason?: string | null;
  /** resolve: photos of the fix (the "after" photo). */
  photos?: number;
  /** close: the reporter's rating, 1–5 (staff may close without one). */
  rating?: number | null;
  /** merge: the case this one duplicates. */
  mergeInto?: string | null;
}

/** Why an action is refused; each maps onto an HTTP answer (409 for state, 403 for who, 400 for what is missing). */
export type CaseRefusal =
  | 'final' // the case is closed, invalid, merged or cancelled
  | 'state' // not from this state
  | 'role' // not for the actor's roles
  | 'scope' // the case is outside the actor's areas
  | 'department' // not the actor's department's case
  | 'same_department' // rerouted to where it is already
  | 'reason' // a reason is needed
  | 'photo' // an after photo is needed
  | 'department_missing' // dispatch without a department
  | 'rating' // the reporter closes with a rating
  | 'target'; // merge without another case

export type CaseDecision = { ok: true; next: CaseState } | { ok: false; refusal: CaseRefusal };

type Who = 'command' | 'handler' | 'grid_worker' | 'reporter';

interface Rule {
  from: readonly CaseState[];
  to: CaseState;
  who: readonly Who[];
  check?: (c: CaseFacts, input: CaseActionInput, who: Who) => CaseRefusal | null;
}

/** The command centre's staff: they dispatch, re-route, rule cases out and merge them. */
export const COMMAND_ROLES: readonly Role[] = ['admin', 'commander', 'operator'];
const STAFF_NEED_REASON = (_c: CaseFacts, input: CaseActionInput, who: Who) =>
  who !== 'reporter' && !hasText(input.reason) ? 'reason' : null;
const NEEDS_REASON = (_c: CaseFacts, input: CaseActionInput) => (hasText(input.reason) ? null : 'reason');

const RULES: Record<CaseAction, Rule> = {
  dispatch: {
    from: ['reported', 'returned'],
    to: 'dispatched',
    who: ['command'],
    check: (_c, input) => (input.departmentId ? null : 'department_missing'),
  },
  reroute: {
    from: ['dispatched', 'accepted'],
    to: 'dispatched',
    who: ['command'],
    check: (c, input) => (!input.departmentId ? 'department_missing' : input.departmentId === c.departmentId ? 'same_department' : null),
  },
  accept: { from: ['dispatched'], to: 'accepted', who: ['handler'] },
  return: { from: ['dispatched', 'accepted'], to: 'returned', who: ['handler'], check: NEEDS_REASON },
  start: { from: ['accepted'], to: 'in_progress', who: ['handler'] },
  resolve: {
    from: ['accepted', 'in_progress'],
    to: 'resolved',
    who: ['handler'],
    check: (_c, input) => ((input.photos ?? 0) > 0 ? null : 'photo'),
  },
  verify: { from: ['resolved'], to: 'verified', who: ['grid_worker'] },
  // The fix does not hold: back to the department, which works on it again.
  reject: { from: ['resolved'], to: 'in_progress', who: ['grid_worker'], check: NEEDS_REASON },
  close: {
    from: ['verified'],
    to: 'closed',
    who: ['reporter', 'command'],
    check: (_c, input, who) => (who === 'reporter' && (input.rating === undefined || input.rating === null) ? 'rating' : null),
  },
  invalidate: { from: ['reported', 'returned'], to: 'invalid', who: ['command'], check: NEEDS_REASON },
  merge: {
    from: ['reported', 'dispatched', 'returned'],
    to: 'duplicate',
    who: ['command'],
    check: (_c, input) => (input.mergeInto ? null : 'target'),
  },
  cancel: { from: ['reported'], to: 'cancelled', who: ['reporter', 'command'], check: STAFF_NEED_REASON },
};

function hasText(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}

/** The capacities in which the actor may act on this case; why not, if none. */
function capacities(c: CaseFacts, actor: CaseActor, rule: Rule): { who: Who[]; refusal: CaseRefusal } {
  const who: Who[] = [];
  let refusal: CaseRefusal = 'role';
  for (const w of rule.who) {
    switch (w) {
      case 'reporter':
        if (actor.isReporter) who.push(w);
        break;
      case 'handler':
        if (!actor.roles.includes('handler')) break;
        if (c.departmentId !== null && actor.departmentIds.includes(c.departmentId)) who.push(w);
        else refusal = 'department';
        break;
      case 'grid_worker':
        if (!actor.roles.includes('grid_worker')) break;
        if (actor.inScope) who.push(w);
        else refusal = 'scope';
        break;
      case 'command':
        if (!actor.roles.some((r) => COMMAND_ROLES.includes(r))) break;
        if (actor.inScope) who.push(w);
        else refusal = 'scope';
        break;
    }
  }
  return { who, refusal };
}

/**
 * Whether `actor` may take `input.action` on case `c`, and the state it leads to. Pure: the
 * service loads the facts, asks, and writes the transition with its timeline entry in one
 * transaction (guarded by the state it read, so two actors racing cannot both move a case).
 */
export function decideCaseAction(c: CaseFacts, actor: CaseActor, input: CaseActionInput): CaseDecision {
  if (FINAL_CASE_STATES.includes(c.state)) return { ok: false, refusal: 'final' };
  const rule = RULES[input.action];
  if (!rule.from.includes(c.state)) return { ok: false, refusal: 'state' };
  const { who, refusal } = capacities(c, actor, rule);
  if (who.length === 0) return { ok: false, refusal };
  // Any capacity the actor holds will do: a reporter who is also on staff may close without a
  // rating or cancel without a reason. Refused, the first capacity's problem is the one said.
  let problem: CaseRefusal | null = null;
  for (const w of who) {
    const found = rule.check?.(c, input, w) ?? null;
    if (found === null) return { ok: true, next: rule.to };
    problem ??= found;
  }
  return { ok: false, refusal: problem ?? 'role' };
}

/** The actions the actor could take on the case now (their inputs aside): the buttons a screen shows. */
export function availableCaseActions(c: CaseFacts, actor: CaseActor): CaseAction[] {
  if (FINAL_CASE_STATES.includes(c.state)) return [];
  return (Object.keys(RULES) as CaseAction[]).filter((action) => {
    const rule = RULES[action];
    return rule.from.includes(c.state) && capacities(c, actor, rule).who.length > 0;
  });
}
