import { CASE_PANEL_INDICATORS, indicatorChannel, type SceneView } from '@cityops/contracts';
import type { Lang } from '../i18n';

/** What the wall shows: a configured scene, nothing (none configured), or the answer to a wrong `?scene=`. */
export type SceneChoice = { kind: 'scene'; scene: SceneView } | { kind: 'none' } | { kind: 'unknown'; key: string };

/** `?scene=<key>` of the wall's address, or null. */
export function requestedSceneKey(search: string): string | null {
  const key = new URLSearchParams(search).get('scene')?.trim();
  return key ? key : null;
}

/**
 * The scene named in the address, else the first of the (enabled, ordered) scenes the API
 * serves. A name that matches none is reported, never replaced by another scene: the room
 * asked for something else.
 */
export function chooseScene(scenes: readonly SceneView[], requested: string | null): SceneChoice {
  if (requested !== null) {
    const scene = scenes.find((s) => s.key === requested);
    return scene ? { kind: 'scene', scene } : { kind: 'unknown', key: requested };
  }
  return scenes[0] ? { kind: 'scene', scene: scenes[0] } : { kind: 'none' };
}

/** The scene's words in one language; English falls back to the Chinese text where none is given. */
export interface SceneWording {
  title: string;
  totalLabel: string;
  /** Empty when the sum has no unit. */
  totalUnit: string;
  /** What the zones are called, e.g. 路段 or `segments`. */
  zones: string;
  /** Counter word after a number of zones, e.g. 段; empty when none. */
  zoneUnit: string;
}

export function sceneWording(scene: SceneView, lang: Lang): SceneWording {
  const pick = (zh: string, en: string | null): string => (lang === 'en' && en ? en : zh);
  const pickUnit = (zh: string | null, en: string | null): string => (lang === 'en' ? (en ?? '') : (zh ?? ''));
  return {
    title: pick(scene.name, scene.nameEn),
    totalLabel: pick(scene.totalLabel ?? '', scene.totalLabelEn),
    totalUnit: pickUnit(scene.totalUnit, scene.totalUnitEn),
    zones: pick(scene.zoneLabel ?? '', scene.zoneLabelEn),
    zoneUnit: pickUnit(scene.zoneUnit, scene.zoneUnitEn),
  };
}

/** `segments` → `Segments`, for English labels that start with the zones' name. */
export function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase('en') + text.slice(1);
}

/** Alerts and feed health always; the scene's indicator when there is a scene. */
export function wallChannels(scene: SceneView | null): string[] {
  return scene?.indicatorKey ? ['alerts', 'feeds', indicatorChannel(scene.indicatorKey)] : ['alerts', 'feeds'];
}

/**
 * Alerts, feed health and the indicators of every scene (events' and KPI tiles'), each once: one
 * connection for a rotating wall. A scene with the cases panel adds the case indicators and the
 * `cases` channel (its 督办 notices).
 */
export function allWallChannels(scenes: readonly SceneView[]): string[] {
  const withCases = scenes.some((s) => s.cases !== null);
  const keys = new Set(
    scenes.flatMap((s) => [
      ...(s.indicatorKey ? [s.indicatorKey] : []),
      ...s.kpis.map((k) => k.indicatorKey),
      ...(s.cases ? Object.values(CASE_PANEL_INDICATORS) : []),
    ]),
  );
  return ['alerts', 'feeds', ...(withCases ? ['cases'] : []), ...[...keys].map(indicatorChannel)];
}

/** The scene's own feed first: the figures on the wall rest on it. */
export function sceneFeedFirst<T extends { key: string }>(issues: readonly T[], feedKey: string | null): T[] {
  if (!feedKey) return [...issues];
  return [...issues.filter((i) => i.key === feedKey), ...issues.filter((i) => i.key !== feedKey)];
}
