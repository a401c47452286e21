import { CASE_ACTIONS, CASE_STATES, type CaseAction, type CaseState, type Role } from '@cityops/contracts';
import { availableCaseActions, decideCaseAction, type CaseActionInput, type CaseActor, type CaseFacts } from './case-workflow';

const ROADS = 'dept-roads';
const PARKS = 'dept-parks';

/** The people of the scenarios, as the server would know them. */
const people = {
  commander: actor(['commander']),
  commanderElsewhere: actor(['commander'], { inScope: false }),
  operator: actor(['operator']),
  roadsHandler: actor(['handler'], { departmentIds: [ROADS] }),
  parksHandler: actor(['handler'], { departmentIds: [PARKS] }),
  gridWorker: actor(['grid_worker']),
  gridWorkerElsewhere: actor(['grid_worker'], { inScope: false }),
  analyst: actor(['analyst']),
  reporter: actor([], { isReporter: true }),
  stranger: actor([]),
} satisfies Record<string, CaseActor>;

function actor(roles: Role[], extra: Partial<CaseActor> = {}): CaseActor {
  return { roles, departmentIds: [], inScope: true, isReporter: false, ...extra };
}

const at = (state: CaseState, departmentId: string | null = state === 'reported' ? null : ROADS): CaseFacts => ({ state, departmentId });

type Row = [what: string, c: CaseFacts, who: keyof typeof people, input: CaseActionInput, expected: CaseState | `refused: ${string}`];

function outcome(c: CaseFacts, who: keyof typeof people, input: CaseActionInput): string {
  const d = decideCaseAction(c, people[who], input);
  return d.ok ? d.next : `refused: ${d.refusal}`;
}

describe('case workflow: the loop from report to verified close', () => {
  it.each<Row>([
    [
      'the command centre dispatches a new case to a department',
      at('reported'),
      'commander',
      { action: 'dispatch', departmentId: ROADS },
      'dispatched',
    ],
    ['the department’s handler accepts it', at('dispatched'), 'roadsHandler', { action: 'accept' }, 'accepted'],
    ['starts work on it', at('accepted'), 'roadsHandler', { action: 'start' }, 'in_progress'],
    ['resolves it with an after photo', at('in_progress'), 'roadsHandler', { action: 'resolve', photos: 1 }, 'resolved'],
    ['a quick fix is resolved straight from accepted', at('accepted'), 'roadsHandler', { action: 'resolve', photos: 2 }, 'resolved'],
    ['the grid worker confirms the fix on site', at('resolved'), 'gridWorker', { action: 'verify' }, 'verified'],
    ['the reporter closes it with a rating', at('verified'), 'reporter', { action: 'close', rating: 5 }, 'closed'],
    ['the command centre may close a verified case without a rating', at('verified'), 'operator', { action: 'close' }, 'closed'],
  ])('%s', (_what, c, who, input, expected) => {
    expect(outcome(c, who, input)).toBe(expected);
  });
});

describe('case workflow: side roads', () => {
  it.each<Row>([
    [
      'a failed verification reopens the case for the department',
      at('resolved'),
      'gridWorker',
      { action: 'reject', reason: '裂缝仍在' },
      'in_progress',
    ],
    [
      'a department returns a case that is not theirs (退单)',
      at('dispatched'),
      'roadsHandler',
      { action: 'return', reason: '属园林部门' },
      'returned',
    ],
    ['and may still return it after accepting', at('accepted'), 'roadsHandler', { action: 'return', reason: '非本部门职责' }, 'returned'],
    [
      'the command centre dispatches a returned case again',
      at('returned'),
      'commander',
      { action: 'dispatch', departmentId: PARKS },
      'dispatched',
    ],
    ['or re-routes one already dispatched', at('dispatched'), 'operator', { action: 'reroute', departmentId: PARKS }, 'dispatched'],
    ['rules a report out as invalid, saying why', at('reported'), 'commander', { action: 'invalidate', reason: '重复拍摄' }, 'invalid'],
    [
      'merges a duplicate into another case',
      at('reported'),
      'commander',
      { action: 'merge', mergeInto: 'GZ-TH-20261129-0042' },
      'duplicate',
    ],
    [
      'the reporter cancels a report nobody has dispatched yet, no reason needed',
      at('reported'),
      'reporter',
      { action: 'cancel' },
      'cancelled',
    ],
    ['staff cancel one with a reason', at('reported'), 'commander', { action: 'cancel', reason: '报告人撤回' }, 'cancelled'],
  ])('%s', (_what, c, who, input, expected) => {
    expect(outcome(c, who, input)).toBe(expected);
  });
});

describe('case workflow: what is refused, and why', () => {
  it.each<Row>([
    ['a handler of another department may not accept', at('dispatched'), 'parksHandler', { action: 'accept' }, 'refused: department'],
    ['an analyst may not dispatch', at('reported'), 'analyst', { action: 'dispatch', departmentId: ROADS }, 'refused: role'],
    ['nor may a stranger cancel someone’s report', at('reported'), 'stranger', { action: 'cancel' }, 'refused: role'],
    [
      'a commander outside the case’s areas may not dispatch it',
      at('reported'),
      'commanderElsewhere',
      { action: 'dispatch', departmentId: ROADS },
      'refused: scope',
    ],
    ['a grid worker of another grid may not verify', at('resolved'), 'gridWorkerElsewhere', { action: 'verify' }, 'refused: scope'],
    ['the handler may not verify their own fix', at('resolved'), 'roadsHandler', { action: 'verify' }, 'refused: role'],
    ['a grid worker may not resolve', at('in_progress'), 'gridWorker', { action: 'resolve', photos: 1 }, 'refused: role'],
    ['resolving needs an after photo', at('in_progress'), 'roadsHandler', { action: 'resolve', photos: 0 }, 'refused: photo'],
    ['a return needs a reason', at('dispatched'), 'roadsHandler', { action: 'return', reason: '  ' }, 'refused: reason'],
    ['a failed verification needs a reason', at('resolved'), 'gridWorker', { action: 'reject' }, 'refused: reason'],
    ['dispatch needs a department', at('reported'), 'commander', { action: 'dispatch' }, 'refused: department_missing'],
    [
      're-routing to the same department is no re-route',
      at('dispatched'),
      'commander',
      { action: 'reroute', departmentId: ROADS },
      'refused: same_department',
    ],
    ['a merge names the surviving case', at('reported'), 'commander', { action: 'merge' }, 'refused: target'],
    ['the reporter closes with a rating', at('verified'), 'reporter', { action: 'close' }, 'refused: rating'],
    ['staff cancel with a reason', at('reported'), 'operator', { action: 'cancel' }, 'refused: reason'],
    ['no acceptance before dispatch', at('reported'), 'roadsHandler', { action: 'accept' }, 'refused: state'],
    ['no verification before the fix', at('in_progress'), 'gridWorker', { action: 'verify' }, 'refused: state'],
    ['no cancelling once dispatched', at('dispatched'), 'reporter', { action: 'cancel' }, 'refused: state'],
    ['a closed case stays closed', at('closed'), 'commander', { action: 'dispatch', departmentId: PARKS }, 'refused: final'],
    ['a merged case does not come back', at('duplicate'), 'commander', { action: 'dispatch', departmentId: PARKS }, 'refused: final'],
  ])('%s', (_what, c, who, input, expected) => {
    expect(outcome(c, who, input)).toBe(expected);
  });
});

describe('case workflow: the actions each person is offered', () => {
  it.each<[string, CaseFacts, keyof typeof people, CaseAction[]]>([
    ['the command centre on a new report', at('reported'), 'commander', ['dispatch', 'invalidate', 'merge', 'cancel']],
    ['the department on a dispatched case', at('dispatched'), 'roadsHandler', ['accept', 'return']],
    ['another department on it: nothing', at('dispatched'), 'parksHandler', []],
    ['the grid worker on a resolved case', at('resolved'), 'gridWorker', ['verify', 'reject']],
    ['the reporter on a verified case', at('verified'), 'reporter', ['close']],
    ['anyone on a closed case: nothing', at('closed'), 'commander', []],
  ])('%s', (_what, c, who, expected) => {
    expect(availableCaseActions(c, people[who])).toEqual(expected);
  });

  it('offers exactly the actions it would then allow (given what each needs)', () => {
    const complete: Record<CaseAction, CaseActionInput> = {
      dispatch: { action: 'dispatch', departmentId: PARKS },
      reroute: { action: 'reroute', departmentId: PARKS },
      accept: { action: 'accept' },
      return: { action: 'return', reason: 'r' },
      start: { action: 'start' },
      resolve: { action: 'resolve', photos: 1 },
      verify: { action: 'verify' },
      reject: { action: 'reject', reason: 'r' },
      close: { action: 'close', rating: 4 },
      invalidate: { action: 'invalidate', reason: 'r' },
      merge: { action: 'merge', mergeInto: 'other' },
      cancel: { action: 'cancel', reason: 'r' },
    };
    const mismatches: string[] = [];
    for (const state of CASE_STATES) {
      for (const [name, person] of Object.entries(people)) {
        const offered = availableCaseActions(at(state), person);
        for (const action of CASE_ACTIONS) {
          const allowed = decideCaseAction(at(state), person, complete[action]).ok;
          if (allowed !== offered.includes(action)) mismatches.push(`${state} ${name} ${action}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
