import { Map as MapLibreMap, setWorkerUrl, type RequestParameters } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// The worker is a separate, self-contained file in MapLibre 6: ship it as an asset and point MapLibre at it.
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { currentAccessToken } from '../api/client';
import { getLang } from '../i18n';
import { buildOfflineStyle, localGlyphsUrl, resolveBasemapStyleUrl } from './base-style';
import type { Bounds } from './geo';
import { MapContext } from './map-context';
import { UI_SCALE_STATE, currentUiScale } from './ui-scale';

setWorkerUrl(new URL(maplibreWorkerUrl, window.location.href).href);

/** Adds the bearer token to requests for our own API (vector tiles); outside URLs are left alone. */
function transformRequest(url: string): RequestParameters | undefined {
  const apiPrefix = `${window.location.origin}/api/`;
  if (!url.startsWith(apiPrefix) && !url.startsWith('/api/')) return undefined;
  const token = currentAccessToken();
  return token ? { url, headers: { Authorization: `Bearer ${token}` } } : { url };
}

export interface MapViewProps {
  /**
   * Optional MapLibre style URL for a base map (a path on our origin for the local archive's);
   * null = our own offline style. Read once, with the page's language of the moment.
   */
  basemapStyleUrl: string | null;
  /** Where the map starts (the city), before the layers fit it to something better. Read once. */
  initialBounds: Bounds;
  /** Layer components: rendered once the style has loaded, in drawing order (first = bottom). */
  layers?: ReactNode;
  /** HTML overlays on top of the map (banners, legend), rendered at once. */
  children?: ReactNode;
  /** Extra attributes on the map frame, e.g. `data-segments` for browser tests. */
  frameProps?: Record<`data-${string}`, string | number | undefined>;
  /** Mouse and keyboard move the map (the analyst's map); the wall's map is not touched. Read once. */
  interactive?: boolean;
}

/**
 * The one MapLibre map of the page. It is created once (on mount) and never re-created on
 * re-render; the instance lives in a ref and is handed to the layer components through
 * context once its style has loaded. The wall's map takes no mouse; the analyst's map passes `interactive`.
 */
export function MapView({ basemapStyleUrl, initialBounds, layers, children, frameProps, interactive = false }: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const initialRef = useRef({ basemapStyleUrl, initialBounds, interactive });
  const [loadedMap, setLoadedMap] = useState<MapLibreMap | null>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return undefined;
    const { basemapStyleUrl: styleUrl, initialBounds: bounds, interactive: movable } = initialRef.current;
    const map = new MapLibreMap({
      container,
      style: styleUrl ? resolveBasemapStyleUrl(styleUrl, getLang()) : buildOfflineStyle(),
      bounds,
      fitBoundsOptions: { padding: 24 },
      interactive: movable,
      attributionControl: false,
      fadeDuration: 0,
      transformRequest,
      // Every glyph, Chinese included, comes from the API's font: the labels look the same on every
      // screen, whatever fonts its browser has (MapLibre would otherwise draw CJK with a local one).
      localIdeographFontFamily: false,
      globalState: { [UI_SCALE_STATE]: currentUiScale() },
    });
    mapRef.current = map;

    // Line widths follow the wall's type scale (see ui-scale.ts).
    const onWindowResize = () => {
      const scale = currentUiScale();
      if (map.getGlobalState()[UI_SCALE_STATE] !== scale) map.setGlobalStateProperty(UI_SCALE_STATE, scale);
    };
    window.addEventListener('resize', onWindowResize);

    let loaded = false;
    let fellBack = false;
    const onLoad = () => {
      loaded = true;
      // An outside style without glyphs still gets our labels: from the API's own glyphs.
      if (!map.getGlyphs()) map.setGlyphs(localGlyphsUrl());
      setLoadedMap(map);
    };
    map.once('load', onLoad);
    // Readiness for benchmarks and browser checks, kept out of React (no re-render): the frame says
    // when the map last went idle (every tile and source loaded, nothing moving), in ms since
    // navigation start; loading or moving again takes the mark away.
    const frame = container.parentElement;
    const idle = map.on('idle', () => {
      if (frame) frame.dataset.mapIdle = String(Math.round(performance.now()));
    });
    const busy = () => {
      if (frame) delete frame.dataset.mapIdle;
    };
    const loading = map.on('dataloading', busy);
    const moving = map.on('movestart', busy);
    // A configured base map that cannot be fetched (closed network) must not leave the wall blank.
    const errorSubscription = map.on('error', (event) => {
      if (loaded || fellBack || !styleUrl) return;
      if (map.isStyleLoaded()) return;
      fellBack = true;
      console.warn('[map] base map style failed, using the offline style', event.error?.message);
      map.setStyle(buildOfflineStyle());
    });

    return () => {
      window.removeEventListener('resize', onWindowResize);
      errorSubscription.unsubscribe();
      idle.unsubscribe();
      loading.unsubscribe();
      moving.unsubscribe();
      setLoadedMap(null);
      mapRef.current = null;
      map.remove();
    };
  }, []);

  return (
    <div className="map-frame" data-testid="wall-map" {...frameProps}>
      <div ref={containerRef} className="map-canvas" />
      {loadedMap && <MapContext value={loadedMap}>{layers}</MapContext>}
      {children}
    </div>
  );
}
