import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import type { Bounds } from './geo';
import { useMap } from './map-context';
import { uiScaleOf } from './ui-scale';

/** A place to show for a while, e.g. the area of a new critical alert. */
export interface CameraFocus {
  /** Changes for every new request, even to the same place. */
  key: string;
  center: [number, number];
}

export interface CameraDirectorProps {
  /** The course: the resting view. */
  home: Bounds | null;
  focus: CameraFocus | null;
  /** How long to stay on a focus before flying home. */
  returnAfterMs?: number;
}

const FLY_MS = 2_500;
/** Zoom on a focus at 1920×1080; bigger screens zoom in so that the same area fills the map. */
const FOCUS_ZOOM = 13.5;

function paddingFor(map: MapLibreMap) {
  const { clientWidth, clientHeight } = map.getContainer();
  const v = Math.round(clientHeight * 0.09);
  const h = Math.round(clientWidth * 0.06);
  return { top: v + Math.round(clientHeight * 0.06), bottom: v, left: h, right: h };
}

/**
 * Moves the camera without a mouse: fits the course on start (and after resizes), flies to a
 * focus (a new critical alert) and back home after `returnAfterMs`.
 */
export function CameraDirector({ home, focus, returnAfterMs = 20_000 }: CameraDirectorProps) {
  const map = useMap();
  const focusedRef = useRef(false);
  const homeRef = useRef(home);
  useEffect(() => {
    homeRef.current = home;
  }, [home]);

  // Resting view: fit the course when it arrives or changes.
  useEffect(() => {
    if (!home || focusedRef.current) return;
    map.fitBounds(home, { padding: paddingFor(map), duration: 0 });
  }, [map, home]);

  // Keep the course framed when the screen size changes.
  useEffect(() => {
    const subscription = map.on('resize', () => {
      const target = homeRef.current;
      if (target && !focusedRef.current) map.fitBounds(target, { padding: paddingFor(map), duration: 0 });
    });
    return () => subscription.unsubscribe();
  }, [map]);

  useEffect(() => {
    if (!focus) {
      if (focusedRef.current) {
        focusedRef.current = false;
        const target = homeRef.current;
        if (target) map.fitBounds(target, { padding: paddingFor(map), duration: FLY_MS, essential: true });
      }
      return undefined;
    }
    focusedRef.current = true;
    const zoom = FOCUS_ZOOM + Math.log2(uiScaleOf(map));
    map.flyTo({ center: focus.center, zoom: Math.max(zoom, map.getZoom()), duration: FLY_MS, essential: true });
    const timer = setTimeout(() => {
      focusedRef.current = false;
      const target = homeRef.current;
      if (target) map.fitBounds(target, { padding: paddingFor(map), duration: FLY_MS, essential: true });
    }, returnAfterMs);
    return () => clearTimeout(timer);
  }, [map, focus, returnAfterMs]);

  return null;
}
