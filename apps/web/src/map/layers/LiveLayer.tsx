import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource } from 'maplibre-gl';
import { useEffect, useMemo, useState } from 'react';
import type { LiveFeatureCollection, LiveLayerDelta, LiveLayerView } from '@cityops/contracts';
import { apiRequest } from '../../api/client';
import { snapshotOnConnect } from '../../live/snapshot-loop';
import type { LiveClient } from '../../live/socket';
import { LIVE_FLUSH_MS, throttle } from '../../live/throttle';
import { featureCollection } from '../geo';
import { useMap } from '../map-context';
import { catalogSourceId } from './catalog-layer.style';
import { applyLiveChanges, storeOf, type LiveStore } from './live-layer-store';
import { liveLayerSpecs } from './live-layer.style';
import { removeLayersAndSource } from './map-layers';
import { useLayerOpacity } from './useLayerOpacity';

export interface LiveLayerProps {
  layer: LiveLayerView;
  /** 0–1. */
  opacity: number;
  /** The page's live connection; null until it exists (the snapshot waits for it). */
  live: LiveClient | null;
  /** A map layer to draw under (e.g. the labels), when it is there; else on top. */
  beforeId?: string;
}

/**
 * A small live layer of the catalog: the feed's entities fetched whole as GeoJSON, then kept
 * current by `layer.delta` events on the feed's channel (applied to a store keyed by entity id,
 * coalesced to one `setData` per LIVE_FLUSH_MS). After every reconnect the snapshot is fetched
 * again, and deltas that arrived while it was in flight are applied over it (older changes are
 * dropped, so nothing goes back in time).
 */
export function LiveLayer({ layer, opacity, live, beforeId }: LiveLayerProps) {
  const map = useMap();
  const specs = useMemo(() => liveLayerSpecs(layer), [layer]);
  const sourceId = catalogSourceId(layer.key);
  const [probe, setProbe] = useState({ features: 0, deltas: 0, snapshots: 0 });

  useEffect(() => {
    map.addSource(sourceId, { type: 'geojson', data: featureCollection([]), promoteId: 'id' });
    const under = beforeId !== undefined && map.getLayer(beforeId) ? beforeId : undefined;
    for (const spec of specs) map.addLayer(spec, under);
    return () =>
      removeLayersAndSource(
        map,
        specs.map((s) => s.id),
        sourceId,
      );
  }, [map, specs, sourceId, beforeId]);

  useEffect(() => {
    if (!live) return undefined;
    let disposed = false;
    let store: LiveStore = new Map();
    /** Deltas heard since the snapshot in flight was asked for: applied again over it. */
    let sinceSnapshot: LiveLayerDelta[] = [];
    let deltas = 0;
    let snapshots = 0;
    const flush = throttle(() => {
      if (disposed) return;
      // Live features are GeoJSON features; the contract types their geometry loosely.
      const data = { type: 'FeatureCollection', features: [...store.values()] } as unknown as FeatureCollection;
      void map.getSource<GeoJSONSource>(sourceId)?.setData(data);
      setProbe({ features: store.size, deltas, snapshots });
    }, LIVE_FLUSH_MS);

    live.addChannels([layer.channel]);
    const offDelta = live.on('layer.delta', (delta) => {
      if (delta.feed !== layer.feed) return;
      sinceSnapshot.push(delta);
      if (applyLiveChanges(store, delta.changes)) {
        deltas += 1;
        flush();
      }
    });
    const snapshotsLoop = snapshotOnConnect(live, async (signal) => {
      sinceSnapshot = [];
      const collection = await apiRequest<LiveFeatureCollection>(layer.url, { signal });
      if (disposed || signal.aborted) return;
      store = storeOf(collection.features);
      for (const delta of sinceSnapshot) applyLiveChanges(store, delta.changes);
      sinceSnapshot = [];
      snapshots += 1;
      flush();
    });
    // Toggled on while connected: no connect is coming to take the first snapshot.
    if (live.status === 'connected') snapshotsLoop.takeNow();
    return () => {
      disposed = true;
      offDelta();
      snapshotsLoop.stop();
      flush.cancel();
    };
  }, [map, live, layer, sourceId]);

  useLayerOpacity(specs, opacity);

  // For browser tests: what the layer holds and how many deltas changed it.
  return (
    <span
      hidden
      data-testid="live-layer"
      data-layer={layer.key}
      data-features={probe.features}
      data-deltas={probe.deltas}
      data-snapshots={probe.snapshots}
    />
  );
}
