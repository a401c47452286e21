import { useEffect, useState } from 'react';
import type { AppConfigView, AreaView, IndicatorDefinitionView, IndicatorValuesEvent, LayerView } from '@cityops/contracts';
import { fetchArea, fetchAreas, fetchIndicatorList, fetchLatest, fetchLayers } from '../api/analyst-map-api';
import { ApiError, isAbortError } from '../api/client';
import { fetchAppConfig } from '../api/wall-api';

/** Latest values are fetched again this often (the choropleth and the vital signs). */
const LATEST_EVERY_MS = 60_000;

/** What the page loads once: config, layer catalog, indicators, the city area. */
export interface MapBasics {
  config: AppConfigView | null;
  catalog: LayerView[] | null;
  indicators: IndicatorDefinitionView[];
  city: AreaView | null;
  error: ApiError | null;
}

export function useMapBasics(): MapBasics {
  const [basics, setBasics] = useState<MapBasics>({ config: null, catalog: null, indicators: [], city: null, error: null });
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    Promise.all([
      fetchAppConfig(signal),
      fetchLayers(signal),
      fetchIndicatorList(signal),
      fetchAreas({ level: 'city', geometry: true }, signal),
    ]).then(
      ([config, catalog, indicators, cities]) =>
        setBasics({ config, catalog, indicators: indicators.filter((d) => d.enabled), city: cities[0] ?? null, error: null }),
      (error: unknown) => {
        if (!isAbortError(error)) setBasics((b) => ({ ...b, error: error instanceof ApiError ? error : null }));
      },
    );
    return () => controller.abort();
  }, []);
  return basics;
}

/** Every indicator's latest values (one request each), again every minute. */
export function useLatestValues(indicators: readonly IndicatorDefinitionView[]): ReadonlyMap<string, IndicatorValuesEvent> {
  const [latest, setLatest] = useState<ReadonlyMap<string, IndicatorValuesEvent>>(new Map());
  const keys = indicators.map((d) => d.key).join(',');
  useEffect(() => {
    if (!keys) return undefined;
    const controller = new AbortController();
    const load = () =>
      Promise.allSettled(keys.split(',').map((k) => fetchLatest(k, controller.signal))).then((results) => {
        if (controller.signal.aborted) return;
        const next = new Map<string, IndicatorValuesEvent>();
        for (const r of results) if (r.status === 'fulfilled') next.set(r.value.indicatorKey, r.value);
        setLatest(next);
      });
    void load();
    const timer = setInterval(() => void load(), LATEST_EVERY_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [keys]);
  return latest;
}

/** The area drilled into with its ancestors (city first) and its children; empty while loading. */
export interface DrillState {
  path: AreaView[];
  children: AreaView[];
}

export function useDrill(areaId: number | null, city: AreaView | null): DrillState {
  const [drill, setDrill] = useState<DrillState & { areaId: number | null }>({ areaId: null, path: [], children: [] });
  useEffect(() => {
    if (!city || areaId === null) return undefined;
    const controller = new AbortController();
    const { signal } = controller;
    (async () => {
      const area = await fetchArea(areaId, signal);
      const path = [area];
      let parent = area.parentId;
      // At most the city, district, street and community above a grid.
      for (let i = 0; parent !== null && i < 5; i++) {
        const up = parent === city.id ? city : await fetchArea(parent, signal);
        path.unshift(up);
        parent = up.parentId;
      }
      if (path[0]?.id !== city.id) path.unshift(city);
      const children = await fetchAreas({ parent: areaId }, signal);
      setDrill({ areaId, path, children });
    })().catch((error: unknown) => {
      // An area outside the caller's scope, or gone: the city alone.
      if (!isAbortError(error)) setDrill({ areaId, path: [city], children: [] });
    });
    return () => controller.abort();
  }, [areaId, city]);
  if (!city) return { path: [], children: [] };
  if (areaId === null) return { path: [city], children: [] };
  return drill.areaId === areaId ? drill : { path: [], children: [] };
}

/** The ids of every area of a level in scope (for the value ramp's extremes across the city). */
export function useLevelIds(level: string, active: boolean): ReadonlySet<number> | null {
  const [ids, setIds] = useState<ReadonlySet<number> | null>(null);
  useEffect(() => {
    if (!active) return undefined;
    const controller = new AbortController();
    fetchAreas({ level }, controller.signal).then(
      (areas) => setIds(new Set(areas.map((a) => a.id))),
      () => setIds(null),
    );
    return () => controller.abort();
  }, [level, active]);
  return active ? ids : null;
}
