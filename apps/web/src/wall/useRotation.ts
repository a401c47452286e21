import { useEffect, useMemo, useState } from 'react';
import type { AreaView, PlaylistView, SceneView } from '@cityops/contracts';
import { serverNow } from '../clock';
import type { WallAlert } from './alert-status';
import { areaContains } from './area-contains';
import { availableStops, initialRotation, sceneForAlert, stepRotation, type RotationAlert, type RotationView } from './rotation';

/** The rotation is re-read this often; a dwell time is at least 5 s, so a second is close enough. */
const TICK_MS = 1_000;

/**
 * The scene the wall shows now, from its playlist, the clock and the alert store (see
 * `rotation.ts`). Null playlist: no rotation (the page shows its first scene).
 */
export function useRotation(
  playlist: PlaylistView | null,
  scenes: readonly SceneView[],
  alerts: readonly WallAlert[],
  districts: readonly AreaView[],
): RotationView | null {
  const stops = useMemo(() => (playlist ? availableStops(playlist.entries, scenes) : []), [playlist, scenes]);
  const placed = useMemo((): RotationAlert[] => {
    const inRotation = new Set(stops.map((s) => s.scene));
    const focusContains = (scene: SceneView, point: [number, number]) => {
      const area = districts.find((d) => d.id === scene.focusAreaId);
      return area ? areaContains(area, point) : false;
    };
    return alerts.map((a) => ({
      id: a.id,
      level: a.level,
      state: a.state,
      acknowledged: a.acknowledgedAt !== null,
      firedAt: a.firedAt ? Date.parse(a.firedAt) : null,
      sceneKey: sceneForAlert(a, scenes, focusContains, inRotation),
    }));
  }, [alerts, scenes, districts, stops]);

  const [now, setNow] = useState(() => serverNow());
  useEffect(() => {
    if (!playlist) return undefined;
    const timer = setInterval(() => setNow(serverNow()), TICK_MS);
    return () => clearInterval(timer);
  }, [playlist]);

  // The state moves only forward with the clock; kept in a state so a render does not step it twice.
  const [rotation, setRotation] = useState(() => ({ state: initialRotation(serverNow()), view: null as RotationView | null }));
  useEffect(() => {
    if (!playlist) return;
    const options = { interrupt: playlist.interruptOnCritical, holdMs: playlist.holdSeconds === null ? null : playlist.holdSeconds * 1000 };
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a clock-driven state machine: each tick or alert change is one step
    setRotation((previous) => stepRotation(previous.state, stops, placed, now, options));
  }, [playlist, stops, placed, now]);

  return playlist ? rotation.view : null;
}
