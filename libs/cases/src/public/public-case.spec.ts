import { isCreditCode } from '@cityops/contracts';
import type { StoredCaseEvent } from '../case.repository';
import { publicTimeline, responsePromise } from './public-case.service';

const filed = new Date('2026-11-30T02:00:00Z');
const hours = (h: number) => new Date(filed.getTime() + h * 3_600_000);

describe('the enterprise’s 24-hour promise (企业呼)', () => {
  it.each([
    ['still running: no answer, time left', null, 10, 'running'],
    ['kept: accepted within the hours', 23, 30, 'kept'],
    ['kept: accepted on the stroke of the deadline', 24, 30, 'kept'],
    ['missed: accepted after the deadline', 25, 30, 'missed'],
    ['missed: no answer and the time is up', null, 24.01, 'missed'],
  ] as const)('%s', (_, answeredAfter, nowAfter, status) => {
    const promise = responsePromise(filed, 24, answeredAfter === null ? null : hours(answeredAfter), hours(nowAfter));
    expect(promise).toEqual({
      hours: 24,
      dueAt: hours(24).toISOString(),
      respondedAt: answeredAfter === null ? null : hours(answeredAfter).toISOString(),
      status,
    });
  });
});

describe('the public timeline', () => {
  const event = (
    action: string,
    actor: string,
    toState: StoredCaseEvent['toState'],
    detail: Record<string, unknown> = {},
  ): StoredCaseEvent => ({
    id: action,
    at: filed,
    actor,
    action,
    fromState: null,
    toState,
    comment: null,
    internal: false,
    detail,
  });
  const names = (key: string) => ({ 'th-urban-management': '天河区城管', 'urban-management': '市城管' })[key] ?? key;

  it('names roles and departments, never a user name; a department acts under the name it was sent to', () => {
    const timeline = publicTimeline(
      { source: 'citizen' },
      [
        event('filed', 'citizen', 'reported'),
        event('dispatch', 'system', 'dispatched', { department: 'urban-management' }),
        event('reroute', 'operator-olga', 'dispatched', { department: 'th-urban-management' }),
        event('accept', 'handler-hank', 'accepted'),
        event('supervised', 'system', null),
        event('resolve', 'handler-hank', 'resolved'),
        event('verify', 'gridworker-gus', 'verified'),
        event('close', 'reporter', 'closed', { rating: 5 }),
      ],
      names,
    );
    expect(timeline.map((e) => [e.action, e.by, e.departmentName, e.status])).toEqual([
      ['filed', 'reporter', null, 'received'],
      ['dispatch', 'system', '市城管', 'dispatched'],
      ['reroute', 'command_centre', '天河区城管', 'dispatched'],
      ['accept', 'department', '天河区城管', 'accepted'],
      ['supervised', 'system', null, null],
      ['resolve', 'department', '天河区城管', 'resolved'],
      ['verify', 'grid_worker', null, 'verified'],
      ['close', 'reporter', null, 'closed'],
    ]);
    expect(JSON.stringify(timeline)).not.toMatch(/olga|hank|gus/);
  });

  it('says a case a department sent back is being reassigned, and a grid worker’s filing is the grid worker’s', () => {
    const timeline = publicTimeline(
      { source: 'grid_worker' },
      [event('filed', 'gw', 'reported'), event('return', 'handler-hank', 'returned', { department: 'urban-management' })],
      names,
    );
    expect(timeline.map((e) => [e.by, e.status, e.departmentName])).toEqual([
      ['grid_worker', 'received', null],
      ['department', 'reassigning', '市城管'],
    ]);
  });
});

describe('unified social credit codes (统一社会信用代码)', () => {
  it.each([
    ['a code with its right check character', '91350100M000100Y43', true],
    ['the same code with another check character', '91350100M000100Y44', false],
    ['17 characters', '91350100M000100Y4', false],
    ['a letter outside the alphabet (O)', '91350100MO00100Y43', false],
    ['lower case', '91350100m000100y43', false],
  ])('%s', (_, code, ok) => {
    expect(isCreditCode(code)).toBe(ok);
  });
});
