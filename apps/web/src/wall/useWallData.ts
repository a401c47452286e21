import { useEffect, useState } from 'react';
import type { AreaView } from '@cityops/contracts';
import { ApiError, isAbortError } from '../api/client';
import { fetchAppConfig, fetchDistricts, fetchZoneSet, type AppConfig } from '../api/wall-api';

const RETRY_MS = 10_000;

export interface WallData {
  config: AppConfig | null;
  districts: AreaView[];
  /** Last failure of any of the loads; each load retries by itself. */
  error: ApiError | null;
}

/** How often a wall reads its scenes and rotation again: an admin's edit shows without anyone at the wall. */
export const WALL_CONFIG_REFRESH_MS = 60_000;

/**
 * Loads `task`, retrying every 10 s until it succeeds (an unattended wall must heal itself), and,
 * with `refreshMs`, again that long after each success. An answer equal to the one held keeps the
 * held object, so nothing downstream (the rotation, the board) starts over for a read that
 * changed nothing.
 */
export function useRetryingLoad<T>(
  task: (signal: AbortSignal) => Promise<T>,
  onError: (e: ApiError | null) => void,
  refreshMs?: number,
): T | null {
  const [value, setValue] = useState<T | null>(null);
  // The task is fixed for the page's lifetime: loaded on mount (and refreshed, if asked).
  const [load] = useState(() => ({ task, onError, refreshMs }));
  useEffect(() => {
    const { task, onError, refreshMs } = load;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let held = '';
    const attempt = () => {
      task(controller.signal).then(
        (result) => {
          const text = JSON.stringify(result);
          if (text !== held) {
            held = text;
            setValue(result);
          }
          onError(null);
          if (refreshMs !== undefined) timer = setTimeout(attempt, refreshMs);
        },
        (error: unknown) => {
          if (isAbortError(error) || controller.signal.aborted) return;
          onError(error instanceof ApiError ? error : null);
          timer = setTimeout(attempt, RETRY_MS);
        },
      );
    };
    attempt();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [load]);
  return value;
}

function bySeq(a: AreaView, b: AreaView): number {
  return (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER);
}

/** The wall's data: app config (with the scenes, read again every minute) and district outlines (once). */
export function useWallData(): WallData {
  const [error, setError] = useState<ApiError | null>(null);
  const config = useRetryingLoad(fetchAppConfig, setError, WALL_CONFIG_REFRESH_MS);
  const districts = useRetryingLoad(fetchDistricts, setError);
  return { config, districts: districts ?? EMPTY, error };
}

/**
 * The zones of the scene's zone set in order (`seq`), or none without a scene. The zone set is
 * read once, on mount: the wall remounts its board when the scene changes.
 */
export function useZones(zoneSet: string | null, onError: (e: ApiError | null) => void): AreaView[] {
  const zones = useRetryingLoad(async (signal) => (zoneSet ? (await fetchZoneSet(zoneSet, signal)).slice().sort(bySeq) : EMPTY), onError);
  return zones ?? EMPTY;
}

const EMPTY: AreaView[] = [];
