import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { fetchAreasOfLevel, fetchChildAreas, fetchZoneSets, type ZoneSetSummary } from '../../api/admin-api';
import { ApiError } from '../../api/client';
import { EMPTY_INDEX, withAreas, type AreaIndex, type AreaNode } from './area-tree';

/**
 * The area hierarchy and the zone sets, loaded once for every scope picker and area filter of
 * the admin pages. City to community come in one go when the first picker needs them (a city has
 * hundreds of communities); grids, thousands, per community when one is opened, or all at once
 * the first time someone searches.
 */
export interface AreaDirectory {
  index: AreaIndex;
  zoneSets: ZoneSetSummary[] | null;
  /** City to community are loaded. */
  ready: boolean;
  error: ApiError | null;
  /** Communities whose grids are loaded. */
  loadedParents: ReadonlySet<number>;
  loadingParents: ReadonlySet<number>;
  allGrids: 'no' | 'loading' | 'yes';
  /** Starts loading what every picker needs (once; later calls do nothing). */
  start: () => void;
  /** Loads the grids of a community, once. */
  openCommunity: (area: AreaNode) => void;
  /** Loads every grid, once, so that a search finds them too. */
  loadAllGrids: () => void;
  retry: () => void;
}

const UPPER_LEVELS = ['city', 'district', 'street', 'community'] as const;

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError({ type: 'about:blank', title: '', status: 0 });
}

const AreaDirectoryContext = createContext<AreaDirectory | null>(null);

export function AreaDirectoryProvider({ children }: { children: ReactNode }) {
  const [index, setIndex] = useState<AreaIndex>(EMPTY_INDEX);
  const [zoneSets, setZoneSets] = useState<ZoneSetSummary[] | null>(null);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [loadedParents, setLoadedParents] = useState<ReadonlySet<number>>(new Set());
  const [loadingParents, setLoadingParents] = useState<ReadonlySet<number>>(new Set());
  const [allGrids, setAllGrids] = useState<'no' | 'loading' | 'yes'>('no');
  const started = useRef(false);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const load = useCallback(() => {
    setError(null);
    Promise.all([Promise.all(UPPER_LEVELS.map((level) => fetchAreasOfLevel(level))), fetchZoneSets()]).then(
      ([levels, sets]) => {
        if (!alive.current) return;
        setIndex((current) => withAreas(current, levels.flat()));
        setZoneSets(sets);
        setReady(true);
      },
      (failure: unknown) => {
        if (!alive.current) return;
        started.current = false;
        setError(asApiError(failure));
      },
    );
  }, []);

  const start = useCallback(() => {
    if (started.current) return;
    started.current = true;
    load();
  }, [load]);

  const retry = useCallback(() => {
    started.current = true;
    load();
  }, [load]);

  const loadingRef = useRef(new Set<number>());
  const loadedRef = useRef(new Set<number>());
  const openCommunity = useCallback((area: AreaNode) => {
    if (area.level !== 'community' || loadedRef.current.has(area.id) || loadingRef.current.has(area.id)) return;
    loadingRef.current.add(area.id);
    setLoadingParents(new Set(loadingRef.current));
    fetchChildAreas(area.id).then(
      (grids) => {
        loadingRef.current.delete(area.id);
        loadedRef.current.add(area.id);
        if (!alive.current) return;
        setIndex((current) => withAreas(current, grids));
        setLoadingParents(new Set(loadingRef.current));
        setLoadedParents(new Set(loadedRef.current));
      },
      (failure: unknown) => {
        loadingRef.current.delete(area.id);
        if (!alive.current) return;
        setLoadingParents(new Set(loadingRef.current));
        setError(asApiError(failure));
      },
    );
  }, []);

  const gridsRef = useRef<'no' | 'loading' | 'yes'>('no');
  const loadAllGrids = useCallback(() => {
    if (gridsRef.current !== 'no') return;
    gridsRef.current = 'loading';
    setAllGrids('loading');
    fetchAreasOfLevel('grid').then(
      (grids) => {
        gridsRef.current = 'yes';
        if (!alive.current) return;
        setIndex((current) => withAreas(current, grids));
        setAllGrids('yes');
      },
      (failure: unknown) => {
        gridsRef.current = 'no';
        if (!alive.current) return;
        setAllGrids('no');
        setError(asApiError(failure));
      },
    );
  }, []);

  const value = useMemo<AreaDirectory>(
    () => ({ index, zoneSets, ready, error, loadedParents, loadingParents, allGrids, start, openCommunity, loadAllGrids, retry }),
    [index, zoneSets, ready, error, loadedParents, loadingParents, allGrids, start, openCommunity, loadAllGrids, retry],
  );
  return <AreaDirectoryContext.Provider value={value}>{children}</AreaDirectoryContext.Provider>;
}

/** The shared directory, loading it on first use. */
export function useAreaDirectory(): AreaDirectory {
  const directory = useContext(AreaDirectoryContext);
  if (!directory) throw new Error('useAreaDirectory outside <AreaDirectoryProvider>');
  const { start } = directory;
  useEffect(() => start(), [start]);
  return directory;
}

/** Whether an area's children are known (every level but grids comes with the first load). */
export function childrenKnown(directory: AreaDirectory, area: AreaNode): boolean {
  if (area.level === 'grid') return true;
  if (area.level !== 'community') return directory.ready;
  return directory.allGrids === 'yes' || directory.loadedParents.has(area.id);
}
