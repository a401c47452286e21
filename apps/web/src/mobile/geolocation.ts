import { useCallback, useEffect, useState } from 'react';
import type { GpsFix } from './report-draft';

/**
 * Where the phone is, from `navigator.geolocation`: one high-accuracy fix on demand (a report is
 * filed where the worker stands; following the position would drain the battery for nothing).
 */
export type GeoState =
  { status: 'locating' } | { status: 'located'; fix: GpsFix } | { status: 'failed'; reason: GeoFailure } | { status: 'unsupported' };

/** Why no position: the person (or the browser's settings) said no, no signal, or it took too long. */
export type GeoFailure = 'denied' | 'unavailable' | 'timeout';

/** A `GeolocationPositionError` code (1 denied, 2 unavailable, 3 timeout) as a failure. */
export function geoFailureOf(code: number): GeoFailure {
  if (code === 1) return 'denied';
  if (code === 3) return 'timeout';
  return 'unavailable';
}

/** Beyond this, the phone's idea of where it is may fall in the next grid: the page says so. */
export const POOR_ACCURACY_METRES = 100;

const OPTIONS: PositionOptions = { enableHighAccuracy: true, timeout: 20_000, maximumAge: 30_000 };

function supported(): boolean {
  return typeof navigator !== 'undefined' && 'geolocation' in navigator;
}

/** The phone's position, asked once at first and again on `retry()`. */
export function useGeolocation(): { state: GeoState; retry: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<GeoState>(() => (supported() ? { status: 'locating' } : { status: 'unsupported' }));

  useEffect(() => {
    if (!supported()) return undefined;
    let live = true;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        if (!live) return;
        const { longitude, latitude, accuracy } = position.coords;
        setState({ status: 'located', fix: { lon: longitude, lat: latitude, accuracy } });
      },
      (error) => {
        if (live) setState({ status: 'failed', reason: geoFailureOf(error.code) });
      },
      OPTIONS,
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const retry = useCallback(() => {
    if (!supported()) return;
    setState({ status: 'locating' });
    setAttempt((n) => n + 1);
  }, []);

  return { state, retry };
}
