import { CASE_PRIORITIES, CASE_SOURCES, CASE_STATES, type CasePriority, type CaseSource, type CaseState } from '@cityops/contracts';
import type { QueryValue } from '../api/client';

/** What the list is filtered by, as the `/cases` URL and `GET /api/cases` both say it. */
export interface CaseFilters {
  state: CaseState[];
  /** `open`: not closed, invalid, merged or cancelled; `closed`: only those; null: both. */
  open: 'open' | 'closed' | null;
  /** A category key or a group key. */
  category: string;
  department: string;
  source: CaseSource | null;
  priority: CasePriority | null;
  /** An area code: cases in it or anywhere inside it. */
  area: string;
  overdue: boolean;
  /** Part of the description or address, or a case code. */
  q: string;
}

/** `stats`: the loop's numbers per district, street or department (its own query: case-statistics.ts). */
export const CASE_VIEWS = ['list', 'board', 'map', 'stats'] as const;
export type CaseView = (typeof CASE_VIEWS)[number];

/** The page's state that lives in the URL: a reload or a shared link opens the same list. */
export interface CasesUrlState {
  filters: CaseFilters;
  view: CaseView;
  /** Paging: the code of the last case of the previous page (null: the newest page). */
  before: string | null;
}

export const NO_CASE_FILTERS: CaseFilters = {
  state: [],
  open: null,
  category: '',
  department: '',
  source: null,
  priority: null,
  area: '',
  overdue: false,
  q: '',
};

/** A page of the list: as many as a dispatcher scans, few enough for the board and the map to stay quick. */
export const CASE_PAGE_SIZE = 50;

const CODE = /^[A-Za-z0-9]{1,6}-[A-Za-z0-9]{1,6}-\d{8}-\d{4,9}$/;
const KEY = /^[a-z0-9][a-z0-9_-]{0,49}$/;
/** URL parameters the page owns; any other (e.g. `lang`) is kept as it is. */
const OWN = ['state', 'open', 'category', 'department', 'source', 'priority', 'area', 'overdue', 'q', 'view', 'before'];

function oneOf<T extends string>(values: readonly T[], value: string | null): T | null {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : null;
}

/** Whether `q` is a whole case code (the search then opens that case). */
export function isCaseCode(text: string): boolean {
  return CODE.test(text.trim());
}

/**
 * Reads the page's state from a URL query. What cannot be right (an unknown state, a malformed
 * category key or paging code) is dropped rather than sent to the server to be refused.
 */
export function decodeCasesQuery(search: string): CasesUrlState {
  const params = new URLSearchParams(search);
  const text = (name: string, max: number) => (params.get(name) ?? '').trim().slice(0, max);
  const state = (params.get('state') ?? '')
    .split(',')
    .map((s) => oneOf(CASE_STATES, s.trim()))
    .filter((s): s is CaseState => s !== null);
  const category = text('category', 50);
  const before = text('before', 40);
  return {
    filters: {
      state: [...new Set(state)],
      open: params.get('open') === 'true' ? 'open' : params.get('open') === 'false' ? 'closed' : null,
      category: KEY.test(category) ? category : '',
      department: text('department', 50),
      source: oneOf(CASE_SOURCES, params.get('source')),
      priority: oneOf(CASE_PRIORITIES, params.get('priority')),
      area: text('area', 100),
      overdue: params.get('overdue') === 'true',
      q: text('q', 100),
    },
    view: oneOf(CASE_VIEWS, params.get('view')) ?? 'list',
    before: CODE.test(before) ? before.toUpperCase() : null,
  };
}

/** The filters as `GET /api/cases` takes them (empty ones left out). */
export function casesApiQuery(filters: CaseFilters, before: string | null, limit = CASE_PAGE_SIZE): Record<string, QueryValue> {
  const q = filters.q.trim();
  return {
    state: filters.state.length ? filters.state.join(',') : undefined,
    open: filters.open === 'open' ? 'true' : filters.open === 'closed' ? 'false' : undefined,
    category: filters.category || undefined,
    department: filters.department || undefined,
    source: filters.source ?? undefined,
    priority: filters.priority ?? undefined,
    area: filters.area.trim() || undefined,
    overdue: filters.overdue ? 'true' : undefined,
    q: q || undefined,
    before: before ?? undefined,
    limit,
  };
}

/**
 * The page's state as a URL query (`?…`, or '' when there is nothing to say), keeping the
 * parameters of `current` the page does not own. The default view (`list`) is left out.
 */
export function encodeCasesQuery(state: CasesUrlState, current = ''): string {
  const params = new URLSearchParams(current);
  for (const name of OWN) params.delete(name);
  for (const [name, value] of Object.entries(casesApiQuery(state.filters, state.before))) {
    if (name !== 'limit' && value !== undefined && value !== null) params.set(name, String(value));
  }
  if (state.view !== 'list') params.set('view', state.view);
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

/** How many filters are set (shown on the button that clears them). */
export function countFilters(filters: CaseFilters): number {
  return (
    (filters.state.length ? 1 : 0) +
    (filters.open ? 1 : 0) +
    (filters.category ? 1 : 0) +
    (filters.department ? 1 : 0) +
    (filters.source ? 1 : 0) +
    (filters.priority ? 1 : 0) +
    (filters.area.trim() ? 1 : 0) +
    (filters.overdue ? 1 : 0) +
    (filters.q.trim() ? 1 : 0)
  );
}

/** `/cases/<code>` → the code (upper case), or null on the list itself. */
export function caseCodeOfPath(pathname: string): string | null {
  const match = /^\/cases\/([^/]+)\/?$/.exec(pathname);
  if (!match) return null;
  const code = decodeURIComponent(match[1]);
  return CODE.test(code) ? code.toUpperCase() : null;
}
