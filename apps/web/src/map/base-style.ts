import { GLYPHS_PATH } from '@cityops/contracts';
import type { Lang } from '../i18n';
import type { StyleSpec } from './layer-types';

export const BACKGROUND_COLOR = '#060c17';

/** The API's own glyphs (made from a local font), for the labels of our layers. */
export function localGlyphsUrl(origin: string = window.location.origin): string {
  return `${origin}${GLYPHS_PATH}`;
}

/**
 * Style used when no base map is configured: a dark background, and glyphs from our own API so
 * that the context labels (districts, streets, zone numbers) render on a closed network. No
 * `sprite`: nothing is asked of an outside server.
 */
export function buildOfflineStyle(origin: string = window.location.origin): StyleSpec {
  return {
    version: 8,
    name: 'cityops-offline',
    glyphs: localGlyphsUrl(origin),
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND_COLOR } }],
  };
}

/**
 * The configured base-map style as MapLibre must be given it: the archive's style is a path on
 * our origin (made absolute, with the page's language for its labels); an outside URL as it is.
 */
export function resolveBasemapStyleUrl(styleUrl: string, lang: Lang, origin: string = window.location.origin): string {
  if (!styleUrl.startsWith('/')) return styleUrl;
  const url = new URL(styleUrl, origin);
  url.searchParams.set('lang', lang);
  return url.href;
}
