import type { StyleSpec } from './layer-types';

export const BACKGROUND_COLOR = '#060c17';

/**
 * Style used when no base map is configured: a dark background only. No `glyphs` and no
 * `sprite`, so MapLibre never asks an outside server for fonts or icons (closed network).
 */
export function buildOfflineStyle(): StyleSpec {
  return {
    version: 8,
    name: 'cityops-offline',
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND_COLOR } }],
  };
}
