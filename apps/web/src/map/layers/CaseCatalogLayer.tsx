import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useState } from 'react';
import type { CaseChangedEvent, CaseMap, CasesLayerView } from '@cityops/contracts';
import { apiRequest } from '../../api/client';
import { STATE_COLORS } from '../../cases/case-labels';
import { snapshotOnConnect } from '../../live/snapshot-loop';
import type { LiveClient } from '../../live/socket';
import { LIVE_FLUSH_MS, throttle } from '../../live/throttle';
import { useMap } from '../map-context';
import { applyCaseChange, storeOfCaseMap, type Box, type CasePoint, type CasePointStore } from './case-points-store';
import { casesLayerIds } from './cases-layer.style';
import { CasesLayer } from './CasesLayer';
import { catalogSourceId } from './catalog-layer.style';

/** After a move, the box's cases are asked for once the map has been still this long (a drag is many moves). */
export const CASES_MOVE_DEBOUNCE_MS = 400;

export const CATALOG_CASES_IDS = casesLayerIds(catalogSourceId('cases'));

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));

/** The box in view, inside the ranges the API takes (a world view at low zoom spills past ±180°). */
export function viewBox(map: MapLibreMap): Box {
  const b = map.getBounds();
  const round = (v: number) => Math.round(v * 1e5) / 1e5;
  return [
    round(clamp(b.getWest(), -180, 180)),
    round(clamp(b.getSouth(), -90, 90)),
    round(clamp(b.getEast(), -180, 180)),
    round(clamp(b.getNorth(), -90, 90)),
  ];
}

export interface CaseCatalogLayerProps {
  layer: CasesLayerView;
  /** 0–1. */
  opacity: number;
  /** The page's live connection; null until it exists (the snapshot waits for it). */
  live: LiveClient | null;
  /** A map layer to draw under (the wall's labels), when it is there. */
  beforeId?: string;
}

/**
 * The catalog's cases layer: the open cases in view (`GET /api/cases/map?bbox=`), asked for again
 * when the view has moved (debounced) and after every reconnect, and kept current in between by
 * `case.changed` on the `cases` channel (a store by code; events heard while a snapshot was in
 * flight are applied over it; bursts coalesced to one redraw per LIVE_FLUSH_MS).
 */
export function CaseCatalogLayer({ layer, opacity, live, beforeId }: CaseCatalogLayerProps) {
  const map = useMap();
  const [points, setPoints] = useState<CasePoint[]>([]);
  const [probe, setProbe] = useState({ snapshots: 0, changes: 0, truncated: false });

  useEffect(() => {
    if (!live) return undefined;
    let disposed = false;
    let store: CasePointStore = new Map();
    let box: Box | null = null;
    let sinceSnapshot: CaseChangedEvent[] = [];
    let snapshots = 0;
    let changes = 0;
    let truncated = false;
    const flush = throttle(() => {
      if (disposed) return;
      setPoints([...store.values()]);
      setProbe({ snapshots, changes, truncated });
    }, LIVE_FLUSH_MS);

    live.addChannels([layer.channel]);
    const offChanged = live.on('case.changed', (event) => {
      sinceSnapshot.push(event);
      if (box && applyCaseChange(store, event, box)) {
        changes += 1;
        flush();
      }
    });
    const loop = snapshotOnConnect(live, async (signal) => {
      sinceSnapshot = [];
      const wanted = viewBox(map);
      const answer = await apiRequest<CaseMap>(`${layer.url}?bbox=${wanted.join(',')}`, { signal });
      if (disposed || signal.aborted) return;
      box = wanted;
      store = storeOfCaseMap(answer);
      for (const event of sinceSnapshot) applyCaseChange(store, event, box);
      sinceSnapshot = [];
      truncated = answer.truncated;
      snapshots += 1;
      flush();
    });
    if (live.status === 'connected') loop.takeNow();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const moved = map.on('moveend', () => {
      clearTimeout(timer);
      timer = setTimeout(() => loop.takeNow(), CASES_MOVE_DEBOUNCE_MS);
    });
    return () => {
      disposed = true;
      offChanged();
      loop.stop();
      flush.cancel();
      clearTimeout(timer);
      moved.unsubscribe();
    };
  }, [map, live, layer]);

  return (
    <>
      <CasesLayer points={points} colors={STATE_COLORS} ids={CATALOG_CASES_IDS} beforeId={beforeId} opacity={opacity} />
      {/* For browser tests: what the layer holds, how many snapshots and events changed it. */}
      <span
        hidden
        data-testid="cases-layer"
        data-layer={layer.key}
        data-features={points.length}
        data-snapshots={probe.snapshots}
        data-changes={probe.changes}
        data-truncated={probe.truncated}
      />
    </>
  );
}
