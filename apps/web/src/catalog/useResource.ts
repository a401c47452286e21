import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, isAbortError } from '../api/client';

export interface Resource<T> {
  /** Data of the current key (kept while reloading the same key, never shown for another key). */
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

interface State<T> {
  key: string | null;
  data: T | null;
  error: ApiError | null;
  loading: boolean;
}

/** Any failure as problem details; no title, so that the message shows the translated generic one. */
function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({
    type: 'about:blank',
    title: '',
    status: 0,
    detail: error instanceof Error ? error.message : undefined,
  });
}

/**
 * Loads what `key` names with `load` (null key: nothing), aborting the previous load when the key
 * changes. `reload()` fetches the same key again without blanking what is shown meanwhile.
 * Used by the catalog, a page someone is looking at: errors are shown with a retry button rather
 * than retried by themselves.
 */
export function useResource<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<State<T>>({ key: null, data: null, error: null, loading: false });

  useEffect(() => {
    if (key === null) return undefined;
    const controller = new AbortController();
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ key, data, error: null, loading: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted || isAbortError(error)) return;
        setState((s) => ({ key, data: s.key === key ? s.data : null, error: asApiError(error), loading: false }));
      },
    );
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback(() => {
    // What is shown stays until the new answer replaces it; only the flag changes.
    setState((s) => ({ ...s, error: null, loading: true }));
    setGeneration((g) => g + 1);
  }, []);
  const current = key !== null && state.key === key;
  return {
    data: current ? state.data : null,
    error: current ? state.error : null,
    loading: key !== null && (!current || state.loading),
    reload,
  };
}
