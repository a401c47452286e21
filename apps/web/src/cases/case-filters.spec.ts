import { describe, expect, it } from '@jest/globals';
import {
  caseCodeOfPath,
  casesApiQuery,
  countFilters,
  decodeCasesQuery,
  encodeCasesQuery,
  isCaseCode,
  NO_CASE_FILTERS,
  type CasesUrlState,
} from './case-filters';

const state = (patch: Partial<CasesUrlState['filters']>, rest: Partial<Omit<CasesUrlState, 'filters'>> = {}): CasesUrlState => ({
  filters: { ...NO_CASE_FILTERS, ...patch },
  view: 'list',
  before: null,
  ...rest,
});

describe('the cases page’s filters in the URL', () => {
  it('reads every filter, the view and the paging code from the query', () => {
    expect(
      decodeCasesQuery(
        '?state=dispatched,accepted&open=true&category=urban-management&department=water&source=grid_worker&priority=urgent&area=440106&overdue=true&q=%E4%BA%95%E7%9B%96&view=board&before=gz-th-20261129-0042',
      ),
    ).toEqual({
      filters: {
        state: ['dispatched', 'accepted'],
        open: 'open',
        category: 'urban-management',
        department: 'water',
        source: 'grid_worker',
        priority: 'urgent',
        area: '440106',
        overdue: true,
        q: '井盖',
      },
      view: 'board',
      before: 'GZ-TH-20261129-0042',
    });
  });

  it('drops what the server would refuse rather than send it: unknown states, sources and views, a malformed key or code', () => {
    expect(
      decodeCasesQuery('?state=dispatched,flying,dispatched&source=pigeon&priority=max&category=Not A Key&view=globe&before=42&open=maybe'),
    ).toEqual(state({ state: ['dispatched'] }));
    expect(decodeCasesQuery('?open=false').filters.open).toBe('closed');
    expect(decodeCasesQuery('').view).toBe('list');
  });

  it('writes the same query back, leaving out what is empty and keeping parameters it does not own', () => {
    const full = state(
      { state: ['reported', 'returned'], open: 'closed', category: 'sanitation', overdue: true, q: ' 积水 ', area: '440106' },
      { view: 'map', before: 'GZ-TH-20261129-0042' },
    );
    const query = encodeCasesQuery(full, '?lang=en&q=old&view=board');
    expect(query).toBe(
      '?lang=en&state=reported%2Creturned&open=false&category=sanitation&area=440106&overdue=true&q=%E7%A7%AF%E6%B0%B4&before=GZ-TH-20261129-0042&view=map',
    );
    expect(decodeCasesQuery(query)).toEqual({ ...full, filters: { ...full.filters, q: '积水' } });
    expect(encodeCasesQuery(state({}))).toBe('');
    expect(encodeCasesQuery(state({}), '?lang=zh')).toBe('?lang=zh');
  });

  it('asks the API with its own parameter names, a page of 50 and nothing for empty filters', () => {
    expect(casesApiQuery(state({ open: 'open', state: ['dispatched'], department: 'water' }).filters, 'GZ-TH-20261129-0042')).toEqual({
      state: 'dispatched',
      open: 'true',
      category: undefined,
      department: 'water',
      source: undefined,
      priority: undefined,
      area: undefined,
      overdue: undefined,
      q: undefined,
      before: 'GZ-TH-20261129-0042',
      limit: 50,
    });
  });

  it('counts the filters set, for the button that clears them', () => {
    expect(countFilters(NO_CASE_FILTERS)).toBe(0);
    expect(countFilters({ ...NO_CASE_FILTERS, state: ['reported', 'returned'], overdue: true, q: '  ' })).toBe(2);
  });

  it('knows a case’s code in the path and in the search box', () => {
    expect(caseCodeOfPath('/cases/gz-th-20261129-0042')).toBe('GZ-TH-20261129-0042');
    expect(caseCodeOfPath('/cases/GZ-TH-20261129-0042/')).toBe('GZ-TH-20261129-0042');
    expect(caseCodeOfPath('/cases')).toBeNull();
    expect(caseCodeOfPath('/cases/not-a-code')).toBeNull();
    expect(isCaseCode(' GZ-TH-20261129-0042 ')).toBe(true);
    expect(isCaseCode('井盖')).toBe(false);
  });
});
