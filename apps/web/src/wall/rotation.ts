import type { SceneView } from '@cityops/contracts';

/**
 * The wall's rotation as pure functions of the playlist, the clock and the alerts: which scene
 * shows, when the next one comes, and when a critical alert takes the wall to its scene and
 * hands it back. The page only keeps the state and ticks it.
 */

/** One stop of the rotation, its scene known to be available to this wall. */
export interface RotationStop {
  scene: string;
  dwellMs: number;
}

/** An alert as the rotation reads it; `sceneKey` is the scene that shows its area (see {@link sceneForAlert}). */
export interface RotationAlert {
  id: string;
  level: string;
  state: string;
  acknowledged: boolean;
  /** Epoch ms it fired; null while it never fired. */
  firedAt: number | null;
  sceneKey: string | null;
}

export interface RotationOptions {
  /** Whether a critical alert interrupts the rotation at all. */
  interrupt: boolean;
  /** Back to the rotation after this long even while the alert stands; null: only once it is acknowledged or resolved. */
  holdMs: number | null;
}

interface Interruption {
  alertId: string;
  sceneKey: string;
  since: number;
  /** Where the rotation was: its stop and the time that stop had left. */
  resumeIndex: number;
  resumeLeftMs: number;
}

export interface RotationState {
  index: number;
  /** When the current stop began (epoch ms). */
  enteredAt: number;
  interruption: Interruption | null;
  /** Alerts whose hold ran out while they still stood: they do not take the wall again. Only ids still standing are kept. */
  heldOut: readonly string[];
}

export interface RotationView {
  mode: 'rotation' | 'alert' | 'none';
  sceneKey: string | null;
  /** The alert that holds the wall, in mode `alert`. */
  alertId: string | null;
  /** The stop shown (or to resume, during an alert). */
  index: number;
  nextSceneKey: string | null;
  /** When the current stop ends (epoch ms); null during an alert without a hold, or without stops. */
  endsAt: number | null;
  /** 0–1 through the current stop (or the hold). */
  progress: number;
}

export function initialRotation(now: number): RotationState {
  return { index: 0, enteredAt: now, interruption: null, heldOut: [] };
}

/** Firing, critical and nobody has acknowledged it: the room must see it. */
function callsForWall(alert: RotationAlert): boolean {
  return alert.state === 'firing' && alert.level === 'critical' && !alert.acknowledged;
}

/** Moves through the stops for the time that passed (a wall asleep for hours lands where the clock says). */
function advance(state: RotationState, stops: readonly RotationStop[], now: number): RotationState {
  let { index, enteredAt } = state;
  if (index >= stops.length) {
    index = 0;
    enteredAt = now;
  }
  const cycleMs = stops.reduce((sum, s) => sum + s.dwellMs, 0);
  if (now - enteredAt > cycleMs) enteredAt = now - ((now - enteredAt) % cycleMs);
  while (now - enteredAt >= stops[index].dwellMs) {
    enteredAt += stops[index].dwellMs;
    index = (index + 1) % stops.length;
  }
  return { ...state, index, enteredAt };
}

/** The standing alert that should take the wall now: the most recently fired that calls for it. */
function interrupter(alerts: readonly RotationAlert[], heldOut: readonly string[]): RotationAlert | null {
  let best: RotationAlert | null = null;
  for (const alert of alerts) {
    if (!callsForWall(alert) || alert.sceneKey === null || heldOut.includes(alert.id)) continue;
    if (!best || (alert.firedAt ?? 0) > (best.firedAt ?? 0)) best = alert;
  }
  return best;
}

/** One tick: the next state and what the wall shows. */
export function stepRotation(
  previous: RotationState,
  stops: readonly RotationStop[],
  alerts: readonly RotationAlert[],
  now: number,
  options: RotationOptions,
): { state: RotationState; view: RotationView } {
  const standing = new Set(alerts.filter(callsForWall).map((a) => a.id));
  let state: RotationState = { ...previous, heldOut: previous.heldOut.filter((id) => standing.has(id)) };

  // An interruption ends when its alert is handled, or when its hold runs out (the alert then stays out).
  if (state.interruption) {
    const { alertId, since, resumeIndex, resumeLeftMs } = state.interruption;
    const holdOver = options.holdMs !== null && now - since >= options.holdMs;
    if (!standing.has(alertId) || holdOver || !options.interrupt) {
      const index = resumeIndex < stops.length ? resumeIndex : 0;
      const dwell = stops[index]?.dwellMs ?? 0;
      state = {
        index,
        enteredAt: now - Math.max(0, dwell - resumeLeftMs),
        interruption: null,
        heldOut: holdOver && standing.has(alertId) ? [...state.heldOut, alertId] : state.heldOut,
      };
    }
  }

  if (stops.length === 0 && !state.interruption) {
    return { state, view: { mode: 'none', sceneKey: null, alertId: null, index: 0, nextSceneKey: null, endsAt: null, progress: 0 } };
  }
  if (stops.length > 0 && !state.interruption) state = advance(state, stops, now);

  if (!state.interruption && options.interrupt) {
    const alert = interrupter(alerts, state.heldOut);
    if (alert?.sceneKey) {
      const left = stops.length > 0 ? Math.max(0, stops[state.index].dwellMs - (now - state.enteredAt)) : 0;
      state = {
        ...state,
        interruption: { alertId: alert.id, sceneKey: alert.sceneKey, since: now, resumeIndex: state.index, resumeLeftMs: left },
      };
    }
  }

  if (state.interruption) {
    const { alertId, sceneKey, since, resumeIndex } = state.interruption;
    const endsAt = options.holdMs !== null ? since + options.holdMs : null;
    return {
      state,
      view: {
        mode: 'alert',
        sceneKey,
        alertId,
        index: resumeIndex,
        nextSceneKey: stops[resumeIndex]?.scene ?? null,
        endsAt,
        progress: endsAt !== null && options.holdMs ? Math.min(1, (now - since) / options.holdMs) : 0,
      },
    };
  }
  const stop = stops[state.index];
  return {
    state,
    view: {
      mode: 'rotation',
      sceneKey: stop.scene,
      alertId: null,
      index: state.index,
      nextSceneKey: stops.length > 1 ? stops[(state.index + 1) % stops.length].scene : null,
      endsAt: stops.length > 1 ? state.enteredAt + stop.dwellMs : null,
      progress: Math.min(1, (now - state.enteredAt) / stop.dwellMs),
    },
  };
}

/** The playlist's stops whose scene this wall has (enabled, served in app-config), in order. */
export function availableStops(entries: readonly { scene: string; dwellSeconds: number }[], scenes: readonly SceneView[]): RotationStop[] {
  const keys = new Set(scenes.map((s) => s.key));
  return entries.filter((e) => keys.has(e.scene)).map((e) => ({ scene: e.scene, dwellMs: e.dwellSeconds * 1000 }));
}

/** What the rotation needs to know of an alert to place it. */
export interface PlaceableAlert {
  indicatorKey: string;
  center: [number, number] | null;
}

/**
 * The scene that shows an alert's area: the event whose indicator it is (its zones), else a
 * district scene whose area holds the alert's point, else a theme that shows its indicator as a
 * KPI, else the city overview; null when there is none (the rotation then goes on).
 * Scenes in the rotation come first among equals.
 */
export function sceneForAlert(
  alert: PlaceableAlert,
  scenes: readonly SceneView[],
  focusContains: (scene: SceneView, point: [number, number]) => boolean,
  inRotation: ReadonlySet<string> = new Set(),
): string | null {
  const ordered = [...scenes.filter((s) => inRotation.has(s.key)), ...scenes.filter((s) => !inRotation.has(s.key))];
  const { center } = alert;
  const match =
    ordered.find((s) => s.kind === 'event' && s.indicatorKey === alert.indicatorKey) ??
    (center ? ordered.find((s) => s.kind === 'district' && focusContains(s, center)) : undefined) ??
    ordered.find((s) => s.kind === 'theme' && s.kpis.some((k) => k.indicatorKey === alert.indicatorKey)) ??
    ordered.find((s) => s.kind === 'overview');
  return match?.key ?? null;
}
