import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useMemo, useState } from 'react';
import type { CasesLayerView } from '@cityops/contracts';
import { STATE_COLORS } from '../../cases/case-labels';
import { snapshotOnConnect } from '../../live/snapshot-loop';
import type { LiveClient } from '../../live/socket';
import { throttle } from '../../live/throttle';
import { useMap } from '../map-context';
import { CASE_TILES_RENEW_MS, concernsView, OVERDUE_CLOCK_MS, type Box } from './case-tiles';
import { casesCircleLayer, casesLayerIds, casesLayerOrder, casesOverdueLayer, casesRingLayer, overdueByDue } from './cases-layer.style';
import { catalogSourceId } from './catalog-layer.style';
import { removeLayersAndSource } from './map-layers';
import { useLayerOpacity } from './useLayerOpacity';
import { type RenewAccess, useTileRenewal } from './useTileRenewal';

export const CATALOG_CASES_IDS = casesLayerIds(catalogSourceId('cases'));

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The box in view, inside the ranges of longitude and latitude (a world view at low zoom spills past ±180°). */
export function viewBox(map: MapLibreMap): Box {
  const b = map.getBounds();
  return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)];
}

export interface CaseCatalogLayerProps {
  layer: CasesLayerView;
  /** 0–1. */
  opacity: number;
  /** The page's live connection; null until it exists (changes are heard once it does). */
  live: LiveClient | null;
  /** A map layer to draw under (the wall's labels), when it is there. */
  beforeId?: string;
  /** Renews the access token after a tile answered 401; resolves true when tiles may be retried. */
  onUnauthorized?: RenewAccess;
}

/** What the layer holds, for browser tests: cases drawn from the loaded tiles, changes heard, renewals asked. */
interface CaseTilesProbe {
  features: number;
  loaded: boolean;
  changes: number;
  renewals: number;
}

/**
 * The catalog's cases layer: the open cases in the caller's sight as vector tiles (a district
 * holds thousands; only the tiles in view are made, each cached on the server until a case
 * changes). A `case.changed` on the `cases` channel for a case in view asks for the view's tiles
 * again (at most once per CASE_TILES_RENEW_MS; the browser revalidates, unchanged tiles answer
 * 304), as does every reconnect and, while the socket is down, the snapshot loop's polling. The
 * tiles hold when each stage falls due; the overdue marks are held against the clock here.
 */
export function CaseCatalogLayer({ layer, opacity, live, beforeId, onUnauthorized }: CaseCatalogLayerProps) {
  const map = useMap();
  const ids = CATALOG_CASES_IDS;
  const tiles = useMemo(() => [`${window.location.origin}${layer.tiles}`], [layer]);
  const [probe, setProbe] = useState<CaseTilesProbe>({ features: 0, loaded: false, changes: 0, renewals: 0 });

  useEffect(() => {
    map.addSource(ids.source, { type: 'vector', tiles, minzoom: layer.minzoom, maxzoom: layer.maxzoom });
    const under = beforeId !== undefined && map.getLayer(beforeId) ? beforeId : undefined;
    map.addLayer(casesRingLayer(ids, layer.sourceLayer), under);
    map.addLayer(casesCircleLayer(STATE_COLORS, ids, layer.sourceLayer), under);
    map.addLayer(casesOverdueLayer(ids, overdueByDue(nowSeconds()), layer.sourceLayer), under);
    const clock = setInterval(() => {
      if (map.getLayer(ids.overdue)) map.setFilter(ids.overdue, overdueByDue(nowSeconds()));
    }, OVERDUE_CLOCK_MS);
    return () => {
      clearInterval(clock);
      removeLayersAndSource(map, casesLayerOrder(ids), ids.source);
    };
  }, [map, ids, layer, tiles, beforeId]);

  // An expired token makes the tiles fail with 401 (a wall runs for days): renew it, then reload them.
  useTileRenewal(ids.source, tiles, onUnauthorized);

  useEffect(() => {
    if (!live) return undefined;
    let changes = 0;
    const renew = throttle(() => {
      if (!map.getSource(ids.source)) return;
      map.refreshTiles(ids.source);
      // One render per renewal, not per event heard: a burst of changes is one update of the probe.
      setProbe((p) => ({ ...p, changes, renewals: p.renewals + 1 }));
    }, CASE_TILES_RENEW_MS);
    live.addChannels([layer.channel]);
    const offChanged = live.on('case.changed', (event) => {
      if (!concernsView(event, viewBox(map))) return;
      changes += 1;
      renew();
    });
    // The tiles loaded with the map stand for the first connection; after that, changes may have been missed.
    let first = true;
    const loop = snapshotOnConnect(live, () => {
      if (first) first = false;
      else renew();
      return Promise.resolve();
    });
    return () => {
      offChanged();
      loop.stop();
      renew.cancel();
    };
  }, [map, ids, live, layer]);

  useLayerOpacity(
    useMemo(() => casesLayerOrder(ids).map((id) => ({ id, type: 'circle' as const })), [ids]),
    opacity,
  );

  // For browser tests, once the map is still: how many cases the loaded tiles hold, and where each
  // is drawn on the canvas in CSS pixels (a click there must open it), on the map's frame.
  useEffect(() => {
    const mark = () => {
      if (!map.getSource(ids.source)) return;
      const features = map.querySourceFeatures(ids.source, { sourceLayer: layer.sourceLayer });
      // A case near a tile's edge is in both tiles' buffers: counted and placed once.
      const seen = new Set<string>();
      const shown: [string, number, number][] = [];
      for (const f of features) {
        const code: unknown = f.properties.code;
        if (typeof code !== 'string' || seen.has(code) || f.geometry.type !== 'Point') continue;
        seen.add(code);
        const { x, y } = map.project(f.geometry.coordinates as [number, number]);
        shown.push([code, Math.round(x), Math.round(y)]);
      }
      const frame = map.getContainer().parentElement;
      if (frame) frame.dataset.casePoints = JSON.stringify(shown);
      const loaded = map.isSourceLoaded(ids.source);
      setProbe((p) => (p.features === seen.size && p.loaded === loaded ? p : { ...p, features: seen.size, loaded }));
    };
    const idle = map.on('idle', mark);
    return () => idle.unsubscribe();
  }, [map, ids, layer]);

  return (
    <span
      hidden
      data-testid="cases-layer"
      data-layer={layer.key}
      data-features={probe.features}
      data-loaded={probe.loaded}
      data-changes={probe.changes}
      data-renewals={probe.renewals}
    />
  );
}
