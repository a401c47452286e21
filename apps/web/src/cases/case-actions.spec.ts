import { describe, expect, it } from '@jest/globals';
import { CASE_ACTIONS, type CaseAction } from '@cityops/contracts';
import { actionInputs, actionRequest, EMPTY_ACTION_FORM, orderActions, splitRequests, type ActionFormValues } from './case-actions';

const seen = { state: 'reported' as const, code: 'GZ-TH-20261130-0001', department: 'urban-management' };
const form = (patch: Partial<ActionFormValues>): ActionFormValues => ({ ...EMPTY_ACTION_FORM, ...patch });
const PHOTO = '6f1f7c1e-4f0a-4e55-9d55-1d3b1f7c9a01';

describe('which inputs an action needs', () => {
  it.each<[CaseAction, string[], string[]]>([
    ['dispatch', ['department'], ['comment']],
    ['reroute', ['department'], ['comment']],
    ['accept', [], ['comment']],
    ['start', [], ['comment']],
    ['verify', [], ['comment']],
    ['return', ['reason'], []],
    ['reject', ['reason'], []],
    ['invalidate', ['reason'], []],
    ['cancel', ['reason'], []],
    ['resolve', ['photoIds'], ['comment']],
    ['close', ['rating'], ['comment']],
    ['merge', ['mergeInto'], ['comment']],
  ])('%s needs %j and takes %j', (action, required, optional) => {
    expect(actionInputs(action)).toEqual({ required, optional });
  });

  it('covers every action of the workflow, and orders the buttons next step first', () => {
    for (const action of CASE_ACTIONS) expect(actionInputs(action)).toBeDefined();
    expect(orderActions(['cancel', 'invalidate', 'merge', 'dispatch'])).toEqual(['dispatch', 'merge', 'invalidate', 'cancel']);
  });
});

describe('the request of an action', () => {
  it('sends the department with the state the page saw, and only the inputs the action takes', () => {
    expect(actionRequest('dispatch', form({ department: 'water', reason: 'left over', comment: ' 请尽快 ' }), seen)).toEqual({
      ok: true,
      request: { action: 'dispatch', expectedState: 'reported', department: 'water', comment: '请尽快' },
    });
    expect(actionRequest('accept', form({ department: 'water' }), { ...seen, state: 'dispatched' })).toEqual({
      ok: true,
      request: { action: 'accept', expectedState: 'dispatched' },
    });
  });

  it('names the fields to fix before sending: a department, a reason, a photo, a rating, a case code', () => {
    expect(actionRequest('dispatch', form({}), seen)).toEqual({ ok: false, problems: { department: ['caseNeedDepartment'] } });
    expect(actionRequest('reroute', form({ department: 'urban-management' }), seen)).toEqual({
      ok: false,
      problems: { department: ['caseSameDepartment'] },
    });
    expect(actionRequest('return', form({ reason: '   ' }), seen)).toEqual({ ok: false, problems: { reason: ['caseNeedReason'] } });
    expect(actionRequest('resolve', form({}), seen)).toEqual({ ok: false, problems: { photoIds: ['caseNeedPhoto'] } });
    expect(actionRequest('close', form({}), seen)).toEqual({ ok: false, problems: { rating: ['caseNeedRating'] } });
    expect(actionRequest('merge', form({ mergeInto: 'GZ-42' }), seen)).toEqual({ ok: false, problems: { mergeInto: ['caseBadCode'] } });
    expect(actionRequest('merge', form({ mergeInto: 'gz-th-20261130-0001' }), seen)).toEqual({
      ok: false,
      problems: { mergeInto: ['caseMergeSelf'] },
    });
  });

  it('sends a resolve with its photos, a close with its rating and a merge with the code in capitals', () => {
    expect(actionRequest('resolve', form({ photoIds: [PHOTO] }), { ...seen, state: 'in_progress' })).toEqual({
      ok: true,
      request: { action: 'resolve', expectedState: 'in_progress', photoIds: [PHOTO] },
    });
    expect(actionRequest('close', form({ rating: 4 }), { ...seen, state: 'verified' })).toMatchObject({ ok: true, request: { rating: 4 } });
    expect(actionRequest('merge', form({ mergeInto: ' gz-th-20261130-0002 ' }), seen)).toMatchObject({
      ok: true,
      request: { mergeInto: 'GZ-TH-20261130-0002' },
    });
  });
});

describe('the split requests of the new cases described', () => {
  it('sends one request per new case, trimmed, each with the same reason and no location (the original’s is taken)', () => {
    expect(
      splitRequests(
        [
          { category: 'streetlight', description: '  The lamp is out ' },
          { category: 'garbage-pile', description: 'Bins overflow' },
        ],
        ' Two more problems in one report ',
      ),
    ).toEqual({
      ok: true,
      requests: [
        { category: 'streetlight', description: 'The lamp is out', reason: 'Two more problems in one report' },
        { category: 'garbage-pile', description: 'Bins overflow', reason: 'Two more problems in one report' },
      ],
    });
  });

  it('names every missing category, description and the reason, by the new case they belong to', () => {
    expect(
      splitRequests(
        [
          { category: 'streetlight', description: ' ' },
          { category: '', description: 'Bins overflow' },
        ],
        '',
      ),
    ).toEqual({
      ok: false,
      problems: { reason: ['caseNeedReason'], 'description.0': ['caseSplitNeedDescription'], 'category.1': ['caseSplitNeedCategory'] },
    });
  });

  it('refuses a description over 4000 characters and a reason over 2000', () => {
    const check = splitRequests([{ category: 'streetlight', description: 'x'.repeat(4001) }], 'y'.repeat(2001));
    expect(check).toEqual({ ok: false, problems: { reason: ['caseTooLong'], 'description.0': ['caseSplitTooLong'] } });
  });
});
