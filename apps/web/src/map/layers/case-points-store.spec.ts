import { describe, expect, it } from '@jest/globals';
import type { CaseChangedEvent, CaseMap, CaseState, CaseSummary } from '@cityops/contracts';
import { applyCaseChange, storeOfCaseMap, type Box } from './case-points-store';

const BOX: Box = [113.2, 23.0, 113.5, 23.3];

const summary = (code: string, patch: Partial<CaseSummary> = {}): CaseSummary => ({
  code,
  category: 'road_damage',
  categoryName: '道路破损',
  categoryNameEn: 'Road damage',
  categoryGroup: 'urban',
  description: '路面坑洞',
  address: null,
  location: [113.33, 23.13],
  gridCode: 'g1',
  gridName: '网格一',
  districtCode: '440106',
  districtName: '天河区',
  priority: 'normal',
  source: 'staff',
  state: 'dispatched',
  department: null,
  departmentName: null,
  departmentNameEn: null,
  reportedAt: '2026-03-02T01:00:00.000Z',
  createdAt: '2026-03-02T01:00:00.000Z',
  updatedAt: '2026-03-02T02:00:00.000Z',
  acceptDueAt: null,
  resolveDueAt: null,
  overdue: null,
  supervision: null,
  ...patch,
});

const changed = (action: string, c: CaseSummary): CaseChangedEvent => ({ action, case: c });

const snapshot = (codes: string[], state: CaseState = 'dispatched'): CaseMap => ({
  type: 'FeatureCollection',
  truncated: false,
  features: codes.map((code) => ({
    type: 'Feature',
    id: code,
    geometry: { type: 'Point', coordinates: [113.3, 23.1] },
    properties: {
      code,
      category: 'road_damage',
      categoryName: '道路破损',
      categoryNameEn: null,
      state,
      priority: 'normal',
      overdue: false,
      supervisionLevel: 0,
      createdAt: '2026-03-02T01:00:00.000Z',
    },
  })),
});

describe('the cases layer store', () => {
  it('holds a snapshot by code', () => {
    const store = storeOfCaseMap(snapshot(['A', 'B']));
    expect([...store.keys()]).toEqual(['A', 'B']);
    expect(store.get('A')).toMatchObject({ state: 'dispatched', overdue: false, supervisionLevel: 0, updatedAt: null });
  });

  it('adds a case filed in the box, and takes out one filed outside it', () => {
    const store = storeOfCaseMap(snapshot([]));
    expect(applyCaseChange(store, changed('filed', summary('A')), BOX)).toBe(true);
    expect(applyCaseChange(store, changed('filed', summary('B', { location: [114.0, 23.1] })), BOX)).toBe(false);
    expect([...store.keys()]).toEqual(['A']);
  });

  it('rings a supervised case by its level and marks it overdue', () => {
    const store = storeOfCaseMap(snapshot(['A']));
    const supervision = {
      stage: 'accept' as const,
      level: 2,
      areaCode: '1',
      areaName: '街道',
      areaLevel: 'street',
      at: '2026-03-02T03:00:00.000Z',
    };
    applyCaseChange(
      store,
      changed('supervised', summary('A', { overdue: 'accept', supervision, updatedAt: '2026-03-02T03:00:00.000Z' })),
      BOX,
    );
    expect(store.get('A')).toMatchObject({ overdue: true, supervisionLevel: 2 });
  });

  it('takes a case off when it ends (closed, merged, invalid, cancelled)', () => {
    const store = storeOfCaseMap(snapshot(['A', 'B']));
    expect(applyCaseChange(store, changed('close', summary('A', { state: 'closed' })), BOX)).toBe(true);
    expect(applyCaseChange(store, changed('merge', summary('B', { state: 'duplicate' })), BOX)).toBe(true);
    expect(store.size).toBe(0);
  });

  it('drops an event older than the change it holds, so a late delivery does not undo a newer one', () => {
    const store = storeOfCaseMap(snapshot([]));
    applyCaseChange(store, changed('accept', summary('A', { state: 'accepted', updatedAt: '2026-03-02T05:00:00.000Z' })), BOX);
    expect(
      applyCaseChange(store, changed('dispatch', summary('A', { state: 'dispatched', updatedAt: '2026-03-02T04:00:00.000Z' })), BOX),
    ).toBe(false);
    expect(store.get('A')?.state).toBe('accepted');
  });
});
