import { FINAL_CASE_STATES, type CaseSummary } from '@cityops/contracts';
import type { CaseFilters } from './case-filters';

/** What the page shows now, for deciding whether a changed case concerns it. */
export interface CasesInView {
  /** Codes of the cases listed (the board and the map show the same page). */
  codes: ReadonlySet<string>;
  filters: CaseFilters;
  /** Paging: a later page keeps its rows; only the newest page takes in new arrivals. */
  before: string | null;
  /** The case open in the panel. */
  open: string | null;
}

export interface CaseRefresh {
  list: boolean;
  detail: boolean;
}

/**
 * Whether the case, as it stands now, passes the filters as far as the page can tell: a filter it
 * cannot judge here (an area above the grid and the district: the path is not in the summary)
 * counts as passed, so that the server decides.
 */
export function mayPassFilters(c: CaseSummary, f: CaseFilters): boolean {
  if (f.state.length > 0 && !f.state.includes(c.state)) return false;
  const final = FINAL_CASE_STATES.includes(c.state);
  if (f.open === 'open' && final) return false;
  if (f.open === 'closed' && !final) return false;
  if (f.category && c.category !== f.category && c.categoryGroup !== f.category) return false;
  if (f.department && c.department !== f.department) return false;
  if (f.source !== null && c.source !== f.source) return false;
  if (f.priority !== null && c.priority !== f.priority) return false;
  if (f.overdue && c.overdue === null) return false;
  const q = f.q.trim().toLowerCase();
  if (q && c.code.toLowerCase() !== q && !c.description.toLowerCase().includes(q) && !(c.address ?? '').toLowerCase().includes(q))
    return false;
  return true;
}

/**
 * What a `case.changed` asks the page to read again: the list when the case is on it (it changed,
 * or left the filter) or may now join the newest page; the panel when it is the open case.
 */
export function refreshFor(changed: CaseSummary, view: CasesInView): CaseRefresh {
  const listed = view.codes.has(changed.code);
  return {
    list: listed || (view.before === null && mayPassFilters(changed, view.filters)),
    detail: view.open === changed.code,
  };
}

/** Refreshes asked for during a burst, merged into one. */
export function mergeRefresh(a: CaseRefresh, b: CaseRefresh): CaseRefresh {
  return { list: a.list || b.list, detail: a.detail || b.detail };
}
