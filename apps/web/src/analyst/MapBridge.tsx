import { Popup, type LngLat, type Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { LayerView } from '@cityops/contracts';
import type { Bounds } from '../map/geo';
import { useMap } from '../map/map-context';
import { targetOf, type MapTarget } from './map-target';
import type { MapCamera } from './map-url-state';

/** What the page's tests read off the map (map state, not pixels): layers in the style and features drawn. */
export interface MapProbe {
  /** Our map layers in drawing order, bottom first. */
  layerIds: string[];
  /** Features drawn now, per our map layer. */
  rendered: Record<string, number>;
}

/** Where a search result takes the map. */
export type GoTo = { bounds: Bounds; seq: number } | { center: [number, number]; zoom: number; seq: number };

export interface MapBridgeProps {
  /** The camera from the URL, applied once. */
  initialCamera: MapCamera | null;
  /** Without a camera in the URL: the bounds to fit once, clear of the side panel. */
  initialFit: Bounds;
  /** Our map layer ids, bottom first: the map is brought to this order whenever it changes. */
  order: readonly string[];
  /** Changes when a component re-added its layers (on top), so the order is applied again. */
  revision: string;
  catalog: readonly LayerView[];
  /** The camera and the box in view, after every move (and once at the start). */
  onCamera: (camera: MapCamera, bounds: Bounds) => void;
  onPick: (target: MapTarget, at: LngLat) => void;
  onProbe: (probe: MapProbe) => void;
  /** Fit the map to these bounds whenever `seq` changes (a drill step). */
  fit: { bounds: Bounds; seq: number } | null;
  /** Fly to a search result whenever `seq` changes. */
  goTo: GoTo | null;
  /** Set the pitch whenever `seq` changes. */
  pitch: { value: number; seq: number } | null;
}

const OURS = /^(catalog:|choropleth:)/;
/** Fits leave the side panel (380 px at 12 px from the edge) clear. */
const PANEL_CLEAR_PADDING = { top: 40, bottom: 40, left: 432, right: 40 };

function cameraOf(map: MapLibreMap): MapCamera {
  const c = map.getCenter();
  return { center: [c.lng, c.lat], zoom: map.getZoom(), pitch: map.getPitch(), bearing: map.getBearing() };
}

/** The analyst page's hold on the one map: camera to and from the URL, layer order, clicks, and the probe for tests. */
export function MapBridge({
  initialCamera,
  initialFit,
  order,
  revision,
  catalog,
  onCamera,
  onPick,
  onProbe,
  fit,
  goTo,
  pitch,
}: MapBridgeProps) {
  const map = useMap();
  const callbacks = useRef({ onCamera, onPick, onProbe, catalog });
  useLayoutEffect(() => {
    callbacks.current = { onCamera, onPick, onProbe, catalog };
  });
  const [initial] = useState(() => ({ camera: initialCamera, fit: initialFit }));

  useEffect(() => {
    const report = () => {
      const b = map.getBounds();
      callbacks.current.onCamera(cameraOf(map), [
        [b.getWest(), b.getSouth()],
        [b.getEast(), b.getNorth()],
      ]);
    };
    const moved = map.on('moveend', report);
    if (initial.camera) map.jumpTo(initial.camera);
    else map.fitBounds(initial.fit, { padding: PANEL_CLEAR_PADDING, duration: 0 });
    const clicked = map.on('click', (event) => {
      const ids = (map.getStyle().layers ?? []).map((l) => l.id).filter((id) => OURS.test(id) && !id.endsWith(':alert'));
      const features = map.queryRenderedFeatures(event.point, { layers: ids });
      for (const feature of features) {
        const target = targetOf(feature, callbacks.current.catalog);
        if (target) {
          callbacks.current.onPick(target, event.lngLat);
          return;
        }
      }
    });
    const probe = () => {
      const layerIds = (map.getStyle().layers ?? []).map((l) => l.id).filter((id) => OURS.test(id));
      const rendered: Record<string, number> = {};
      for (const id of layerIds) {
        if (map.getLayoutProperty(id, 'visibility') === 'none') continue;
        rendered[id] = map.queryRenderedFeatures({ layers: [id] }).length;
      }
      callbacks.current.onProbe({ layerIds, rendered });
    };
    const idle = map.on('idle', probe);
    // The cursor tells what can be clicked.
    const entered = map.on('mousemove', (event) => {
      const hit = map.queryRenderedFeatures(event.point).some((f) => OURS.test(f.layer.id));
      map.getCanvas().style.cursor = hit ? 'pointer' : '';
    });
    return () => {
      moved.unsubscribe();
      clicked.unsubscribe();
      idle.unsubscribe();
      entered.unsubscribe();
    };
  }, [map, initial]);

  // Children add their layers in their effects, which run before this one: then they are ordered.
  const orderKey = order.join('|');
  useEffect(() => {
    for (const id of orderKey.split('|')) if (id && map.getLayer(id)) map.moveLayer(id);
  }, [map, orderKey, revision]);

  useEffect(() => {
    if (fit) map.fitBounds(fit.bounds, { padding: PANEL_CLEAR_PADDING, maxZoom: 15, duration: 600 });
  }, [map, fit]);

  useEffect(() => {
    if (!goTo) return;
    if ('bounds' in goTo) map.fitBounds(goTo.bounds, { padding: PANEL_CLEAR_PADDING, maxZoom: 16, duration: 800 });
    else map.flyTo({ center: goTo.center, zoom: goTo.zoom, duration: 800, padding: PANEL_CLEAR_PADDING });
  }, [map, goTo]);

  useEffect(() => {
    if (pitch) map.easeTo({ pitch: pitch.value, duration: 500 });
  }, [map, pitch]);

  return null;
}

/** A MapLibre popup whose content is React (a portal into the popup's element). */
export function MapPopup({ at, onClose, children }: { at: LngLat; onClose: () => void; children: ReactNode }) {
  const map = useMap();
  const [element] = useState(() => document.createElement('div'));
  const closeRef = useRef(onClose);
  useLayoutEffect(() => {
    closeRef.current = onClose;
  });

  useEffect(() => {
    const popup = new Popup({ closeButton: true, closeOnClick: false, maxWidth: '380px', className: 'analyst-popup' })
      .setDOMContent(element)
      .setLngLat(at)
      .addTo(map);
    const closed = () => closeRef.current();
    popup.on('close', closed);
    return () => {
      popup.off('close', closed);
      popup.remove();
    };
  }, [map, element, at]);

  return createPortal(children, element);
}
