import { describe, expect, it } from '@jest/globals';
import type { CaseSummary } from '@cityops/contracts';
import { NO_CASE_FILTERS, type CaseFilters } from './case-filters';
import { mayPassFilters, mergeRefresh, refreshFor, type CasesInView } from './case-live';

const summary = (patch: Partial<CaseSummary> = {}): CaseSummary => ({
  code: 'GZ-TH-20261130-0007',
  category: 'street-vending',
  categoryName: '占道经营',
  categoryNameEn: 'Street vending',
  categoryGroup: 'urban-management',
  description: '体育西路占道经营',
  address: '体育西路 101 号',
  location: [113.3504, 23.2089],
  gridCode: '440106001001001',
  gridName: '第1网格',
  districtCode: '440106',
  districtName: '天河区',
  priority: 'normal',
  source: 'staff',
  state: 'dispatched',
  department: 'th-urban-management',
  departmentName: '天河区城管',
  departmentNameEn: null,
  reportedAt: '2026-11-30T08:00:00.000Z',
  createdAt: '2026-11-30T08:00:00.000Z',
  updatedAt: '2026-11-30T08:00:00.000Z',
  acceptDueAt: null,
  resolveDueAt: null,
  overdue: null,
  supervision: null,
  ...patch,
});

const view = (filters: Partial<CaseFilters> = {}, rest: Partial<Omit<CasesInView, 'filters'>> = {}): CasesInView => ({
  codes: new Set<string>(),
  filters: { ...NO_CASE_FILTERS, ...filters },
  before: null,
  open: null,
  ...rest,
});

describe('which live case changes the cases page reads again for', () => {
  it.each<[string, Partial<CaseFilters>, Partial<CaseSummary>, boolean]>([
    ['no filter', {}, {}, true],
    ['its state chosen', { state: ['dispatched', 'accepted'] }, {}, true],
    ['another state chosen', { state: ['accepted'] }, {}, false],
    ['open cases, an open case', { open: 'open' }, {}, true],
    ['open cases, a closed case', { open: 'open' }, { state: 'closed' }, false],
    ['closed cases, an open case', { open: 'closed' }, {}, false],
    ['its category', { category: 'street-vending' }, {}, true],
    ['its category group', { category: 'urban-management' }, {}, true],
    ['another category', { category: 'noise' }, {}, false],
    ['another department', { department: 'water' }, {}, false],
    ['another source', { source: 'alert' }, {}, false],
    ['its source', { source: 'alert' }, { source: 'alert' }, true],
    ['another priority', { priority: 'urgent' }, {}, false],
    ['overdue only, on time', { overdue: true }, {}, false],
    ['overdue only, overdue', { overdue: true }, { overdue: 'accept' }, true],
    ['text in the description', { q: '体育西路' }, {}, true],
    ['its code as the text', { q: 'gz-th-20261130-0007' }, {}, true],
    ['text found nowhere', { q: '珠江新城' }, {}, false],
    // An area above the district and grid cannot be judged from the summary: the server decides.
    ['an area the page cannot judge', { area: '440106001' }, {}, true],
  ])('%s', (_what, filters, patch, passes) => {
    expect(mayPassFilters(summary(patch), { ...NO_CASE_FILTERS, ...filters })).toBe(passes);
  });

  it('reads the list again for a listed case, even one that left the filter (so that it disappears)', () => {
    const listed = view({ state: ['dispatched'] }, { codes: new Set(['GZ-TH-20261130-0007']) });
    expect(refreshFor(summary({ state: 'accepted' }), listed)).toEqual({ list: true, detail: false });
  });

  it('takes in a new case that may pass the filter on the newest page only', () => {
    expect(refreshFor(summary(), view()).list).toBe(true);
    expect(refreshFor(summary(), view({}, { before: 'GZ-TH-20261130-0100' })).list).toBe(false);
    expect(refreshFor(summary(), view({ category: 'noise' })).list).toBe(false);
  });

  it('reads the open case again when it is the one that changed', () => {
    const open = view({ category: 'noise' }, { open: 'GZ-TH-20261130-0007' });
    expect(refreshFor(summary(), open)).toEqual({ list: false, detail: true });
    expect(refreshFor(summary({ code: 'GZ-TH-20261130-0008' }), open)).toEqual({ list: false, detail: false });
  });

  it('merges a burst’s refreshes into one', () => {
    expect(mergeRefresh({ list: true, detail: false }, { list: false, detail: true })).toEqual({ list: true, detail: true });
    expect(mergeRefresh({ list: false, detail: false }, { list: false, detail: false })).toEqual({ list: false, detail: false });
  });
});
