import { useEffect } from 'react';
import type { LayerView } from '@cityops/contracts';
import { handleUnauthorized } from '../auth/session';
import { useI18n } from '../i18n';
import type { LiveClient } from '../live/socket';
import { LayerSymbol, layerLegendText } from '../map/LayerLegend';
import { CaseCatalogLayer } from '../map/layers/CaseCatalogLayer';
import { catalogLayerIds } from '../map/layers/catalog-layer.style';
import { CatalogLayer } from '../map/layers/CatalogLayer';
import { LiveLayer } from '../map/layers/LiveLayer';
import { useMap } from '../map/map-context';

/** What of a scene's layers the map holds and shows: style layer ids (bottom first), features drawn per id, and the view (at its `idle`). */
export interface SceneLayersProbe {
  layerIds: string[];
  rendered: Record<string, number>;
  /** Every one of them drawn under the labels (`beforeId`). */
  underLabels: boolean;
  /** `[west, south, east, north]` in view, rounded to 4 decimals. */
  bounds: [number, number, number, number];
}

export interface SceneLayersProps {
  /** Bottom first. */
  layers: readonly LayerView[];
  /** The map layer they go under (the labels), when it is on the map. */
  beforeId: string;
  /** The wall's live connection: a live layer's deltas come over it. */
  live: LiveClient | null;
  onProbe?: (probe: SceneLayersProbe) => void;
}

/**
 * A scene's catalog layers on the wall's map, in the scene's order under the labels, each at full
 * opacity; their tiles renew the display's token on 401 like the area boundaries do, and a live
 * layer moves with its feed's deltas over the wall's one connection.
 */
export function SceneLayers({ layers, beforeId, live, onProbe }: SceneLayersProps) {
  const map = useMap();
  const ids = layers.flatMap((layer) => catalogLayerIds(layer));
  const idKey = ids.join('|');

  // The map's own account of what it drew, after each render settles (the wall's browser tests read it).
  useEffect(() => {
    if (!onProbe) return undefined;
    const wanted = idKey ? idKey.split('|') : [];
    const probe = () => {
      const order = map.getLayersOrder();
      // In the style's drawing order, bottom first.
      const present = order.filter((id) => wanted.includes(id));
      const labelsAt = order.indexOf(beforeId);
      const rendered: Record<string, number> = {};
      for (const id of present) rendered[id] = map.queryRenderedFeatures({ layers: [id] }).length;
      const view = map.getBounds();
      const round = (v: number) => Math.round(v * 1e4) / 1e4;
      onProbe({
        layerIds: present,
        underLabels: labelsAt >= 0 && present.every((id) => order.indexOf(id) < labelsAt),
        rendered,
        bounds: [round(view.getWest()), round(view.getSouth()), round(view.getEast()), round(view.getNorth())],
      });
    };
    const subscription = map.on('idle', probe);
    return () => subscription.unsubscribe();
  }, [map, idKey, beforeId, onProbe]);

  return (
    <>
      {layers.map((layer) =>
        layer.kind === 'live' ? (
          <LiveLayer key={layer.key} layer={layer} opacity={1} live={live} beforeId={beforeId} />
        ) : layer.kind === 'cases' ? (
          <CaseCatalogLayer key={layer.key} layer={layer} opacity={1} live={live} beforeId={beforeId} onUnauthorized={handleUnauthorized} />
        ) : (
          <CatalogLayer key={layer.key} layer={layer} opacity={1} onUnauthorized={handleUnauthorized} beforeId={beforeId} />
        ),
      )}
    </>
  );
}

/** The legend of a scene's layers (bottom-left of the map), and the keys it could not draw. */
export function SceneLayersLegend({ layers, missing }: { layers: readonly LayerView[]; missing: readonly string[] }) {
  const { t, lang } = useI18n();
  if (layers.length === 0 && missing.length === 0) return null;
  // Top of the drawing order first, as a legend reads.
  const topFirst = [...layers].reverse();
  return (
    <div className="map-legend scene-legend" aria-label={t('sceneLayersLegend')} data-testid="scene-legend">
      {topFirst.map((layer) => {
        const text = layerLegendText(layer, t, lang);
        return (
          <span key={layer.key} className="map-legend-item" data-testid="scene-legend-item" data-layer={layer.key}>
            <LayerSymbol layer={layer} />
            {lang === 'en' && layer.nameEn ? layer.nameEn : layer.name}
            {text ? <span className="scene-legend-hint">{text}</span> : null}
          </span>
        );
      })}
      {missing.length > 0 ? (
        <span className="scene-legend-missing" data-testid="scene-layers-missing" data-keys={missing.join(',')}>
          {t('sceneLayersMissing', { keys: missing.join(', ') })}
        </span>
      ) : null}
    </div>
  );
}
