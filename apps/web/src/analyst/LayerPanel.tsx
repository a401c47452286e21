import { LAYER_THEMES, type LayerView } from '@cityops/contracts';
import { useI18n } from '../i18n';
import { CasesLegend } from '../map/CasesLegend';
import { LayerSymbol, layerLegendText } from '../map/LayerLegend';
import type { VisibleLayer } from './map-url-state';

export interface LayerPanelProps {
  catalog: readonly LayerView[] | null;
  /** Visible layers, bottom first. */
  visible: readonly VisibleLayer[];
  onToggle: (key: string, on: boolean) => void;
  onOpacity: (key: string, opacity: number) => void;
  /** `up` = drawn later (above). */
  onMove: (key: string, direction: 'up' | 'down') => void;
  zoom: number;
}

const nameOf = (layer: LayerView, lang: string) => (lang === 'en' ? (layer.nameEn ?? layer.name) : layer.name);

/** The layer catalog theme by theme: a toggle per layer; a visible one shows its legend, opacity and order. */
export function LayerPanel({ catalog, visible, onToggle, onOpacity, onMove, zoom }: LayerPanelProps) {
  const { t, lang } = useI18n();
  if (!catalog) return <p className="dim">{t('mapLayersLoading')}</p>;
  const themes = LAYER_THEMES.map((theme) => ({ theme, layers: catalog.filter((l) => (l.theme ?? 'general') === theme.key) })).filter(
    (g) => g.layers.length > 0,
  );
  // Top of the drawing order first, as a layer list reads.
  const shownTopFirst = [...visible].reverse();
  return (
    <div className="layer-panel" data-testid="layer-panel">
      {shownTopFirst.length > 0 ? (
        <ol className="layer-order" data-testid="layer-order">
          {shownTopFirst.map((v, i) => {
            const layer = catalog.find((l) => l.key === v.key);
            if (!layer) return null;
            const name = nameOf(layer, lang);
            const minzoom = layer.kind === 'vector' ? layer.minzoom : 0;
            return (
              <li key={v.key} data-testid="visible-layer" data-layer={v.key}>
                <div className="layer-order-head">
                  <LayerSymbol layer={layer} />
                  <span className="layer-name">{name}</span>
                  <button
                    type="button"
                    className="icon-button"
                    disabled={i === 0}
                    aria-label={t('mapLayerUpLabel', { name })}
                    title={t('mapLayerUp')}
                    onClick={() => onMove(v.key, 'up')}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    disabled={i === shownTopFirst.length - 1}
                    aria-label={t('mapLayerDownLabel', { name })}
                    title={t('mapLayerDown')}
                    onClick={() => onMove(v.key, 'down')}
                  >
                    ↓
                  </button>
                </div>
                <label className="layer-opacity">
                  <span className="sr-only">{t('mapLayerOpacity', { name })}</span>
                  <input
                    type="range"
                    min={0}
                    max={100}
                    step={5}
                    value={Math.round(v.opacity * 100)}
                    aria-label={t('mapLayerOpacity', { name })}
                    onChange={(e) => onOpacity(v.key, Number(e.target.value) / 100)}
                  />
                  <span className="layer-opacity-value">{Math.round(v.opacity * 100)}%</span>
                </label>
                <p className="layer-legend-text">
                  {[layerLegendText(layer, t, lang), zoom < minzoom ? t('mapLayerZoomHint', { z: minzoom }) : '']
                    .filter(Boolean)
                    .join(' · ')}
                </p>
                {layer.kind === 'cases' ? <CasesLegend compact /> : null}
              </li>
            );
          })}
        </ol>
      ) : null}
      {themes.map(({ theme, layers }) => (
        <section key={theme.key} className="layer-theme" data-theme={theme.key}>
          <h3>{lang === 'en' ? theme.nameEn : theme.name}</h3>
          <ul>
            {layers.map((layer) => {
              const on = visible.some((v) => v.key === layer.key);
              return (
                <li key={layer.key}>
                  <label className="layer-toggle">
                    <input
                      type="checkbox"
                      checked={on}
                      data-testid="layer-toggle"
                      data-layer={layer.key}
                      aria-label={t('mapLayerShow', { name: nameOf(layer, lang) })}
                      onChange={(e) => onToggle(layer.key, e.target.checked)}
                    />
                    <LayerSymbol layer={layer} />
                    <span>{nameOf(layer, lang)}</span>
                  </label>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
