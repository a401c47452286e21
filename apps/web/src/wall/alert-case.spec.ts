import { describe, expect, it } from '@jest/globals';
import type { CaseCategoryView, SessionUser } from '@cityops/contracts';
import { alertCaseRequest, alertCaseRequestId, canFileFromAlert, priorityOf, suggestedCategory } from './alert-case';

const category = (key: string, group: string, enabled = true): CaseCategoryView => ({
  key,
  group,
  groupName: group,
  groupNameEn: null,
  name: key,
  nameEn: null,
  acceptHours: 2,
  resolveHours: 24,
  responsePromiseHours: null,
  enabled,
});

const CATALOG = [category('noise', 'urban-management'), category('signal-fault', 'traffic', false), category('congestion', 'traffic')];
const ALERT = { id: '0d7a1c2e-0000-4000-8000-0000000000aa', center: [113.33, 23.13] as [number, number], level: 'critical' as const };

describe('filing a case from an alert', () => {
  it('is for commanders and operators signed in, not for displays or other roles', () => {
    const user = (roles: SessionUser['roles'], kind: SessionUser['kind'] = 'user') => ({ kind, roles }) as SessionUser;
    expect(canFileFromAlert(user(['operator']))).toBe(true);
    expect(canFileFromAlert(user(['commander']))).toBe(true);
    expect(canFileFromAlert(user(['analyst']))).toBe(false);
    expect(canFileFromAlert(user(['operator'], 'display'))).toBe(false);
    expect(canFileFromAlert(null)).toBe(false);
  });

  it('offers the first category in use of the group the theme points to, and none for another theme', () => {
    expect(suggestedCategory('traffic', CATALOG)).toBe('congestion');
    expect(suggestedCategory('health', CATALOG)).toBe('');
    expect(suggestedCategory(null, CATALOG)).toBe('');
    expect(suggestedCategory('water', CATALOG)).toBe('');
  });

  it('files a critical alert’s case as urgent, the others as high', () => {
    expect(priorityOf({ level: 'critical' })).toBe('urgent');
    expect(priorityOf({ level: 'warning' })).toBe('high');
  });

  it('makes a request id the API accepts', () => {
    expect(alertCaseRequestId(ALERT.id, () => 'b3c1')).toBe('alert-0d7a1c2e-b3c1');
    expect(alertCaseRequestId(ALERT.id)).toMatch(/^[A-Za-z0-9_.:-]{1,100}$/);
  });

  it('sends the alert’s place, id and the request id, or names what is missing', () => {
    const input = { category: 'noise', description: '  告警  ', clientRequestId: 'alert-1' };
    expect(alertCaseRequest(ALERT, input)).toEqual({
      category: 'noise',
      description: '告警',
      location: [113.33, 23.13],
      priority: 'urgent',
      alertId: ALERT.id,
      clientRequestId: 'alert-1',
    });
    expect(alertCaseRequest({ ...ALERT, center: null }, input)).toBe('location');
    expect(alertCaseRequest(ALERT, { ...input, category: '' })).toBe('category');
    expect(alertCaseRequest(ALERT, { ...input, description: ' ' })).toBe('description');
  });
});
