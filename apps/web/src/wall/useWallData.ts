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

/** Loads `task` once, retrying every 10 s until it succeeds (an unattended wall must heal itself). */
export function useRetryingLoad<T>(task: (signal: AbortSignal) => Promise<T>, onError: (e: ApiError | null) => void): T | null {
  const [value, setValue] = useState<T | null>(null);
  // The task is fixed for the page's lifetime: loaded once on mount.
  const [load] = useState(() => ({ task, onError }));
  useEffect(() => {
    const { task, onError } = load;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = () => {
      task(controller.signal).then(
        (result) => {
          setValue(result);
          onError(null);
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

/** The wall's static data: app config (with the scenes) and district outlines. */
export function useWallData(): WallData {
  const [error, setError] = useState<ApiError | null>(null);
  const config = useRetryingLoad(fetchAppConfig, setError);
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
