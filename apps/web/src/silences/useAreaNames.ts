import { useCallback, useEffect, useRef, useState } from 'react';
import type { AreaNode } from '../admin/scope/area-tree';
import { useAreaDirectory } from '../admin/scope/AreaDirectory';
import { fetchAreaName } from '../api/silences-api';

/**
 * The areas of `ids` by id: from the shared area directory, and for those it does not hold (event
 * zones, grids of a community not opened) one request each, once, when the directory is loaded.
 * An area that cannot be read stays unknown; the caller shows its code.
 */
export function useAreaNames(ids: readonly number[]): (id: number) => AreaNode | undefined {
  const directory = useAreaDirectory();
  const [extra, setExtra] = useState<ReadonlyMap<number, AreaNode>>(new Map());
  const asked = useRef(new Set<number>());
  const { ready, index } = directory;
  const key = [...new Set(ids)].sort((a, b) => a - b).join(',');

  // Aborted only when the page goes: a request in flight when more areas arrive is still wanted.
  const controller = useRef<AbortController | null>(null);
  useEffect(() => {
    controller.current = new AbortController();
    return () => controller.current?.abort();
  }, []);

  useEffect(() => {
    if (!ready || !key) return;
    for (const id of key.split(',').map(Number)) {
      if (index.byId.has(id) || asked.current.has(id)) continue;
      asked.current.add(id);
      fetchAreaName(id, controller.current?.signal).then(
        (area) => setExtra((current) => new Map(current).set(area.id, area)),
        () => undefined,
      );
    }
  }, [ready, index, key]);

  return useCallback((id: number) => index.byId.get(id) ?? extra.get(id), [index, extra]);
}
