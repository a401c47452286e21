/** What the catalog shows, kept in the address so that a view can be shared or reloaded. */
export interface CatalogSelection {
  department: string | null;
  theme: string | null;
  feed: string | null;
  query: string;
}

const PARAMS = { department: 'department', theme: 'theme', feed: 'feed', query: 'q' } as const;

export function readSelection(): CatalogSelection {
  const params = new URLSearchParams(window.location.search);
  return {
    department: params.get(PARAMS.department) || null,
    theme: params.get(PARAMS.theme) || null,
    feed: params.get(PARAMS.feed) || null,
    query: params.get(PARAMS.query) ?? '',
  };
}

/** Replaces (not pushes) the history entry: filtering is not navigation. Other params (`lang`) stay. */
export function writeSelection(selection: CatalogSelection): void {
  const url = new URL(window.location.href);
  const set = (name: string, value: string | null) => {
    if (value) url.searchParams.set(name, value);
    else url.searchParams.delete(name);
  };
  set(PARAMS.department, selection.department);
  set(PARAMS.theme, selection.theme);
  set(PARAMS.feed, selection.feed);
  set(PARAMS.query, selection.query.trim() || null);
  const next = `${url.pathname}${url.search}${url.hash}`;
  if (next !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(window.history.state, '', next);
  }
}
