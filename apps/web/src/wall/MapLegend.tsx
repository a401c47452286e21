import { formatPercent } from '../format';
import { useI18n } from '../i18n';
import type { LoadThresholds as IndicatorThresholds } from '../live/load-thresholds';

/** Colour key of the scene's zones (HTML, since the map has no glyphs for text). */
export function MapLegend({ thresholds, zones }: { thresholds: IndicatorThresholds; zones: string }) {
  const { t } = useI18n();
  const items = [
    { band: 'normal', label: t('legendLow', { pct: formatPercent(thresholds.warning) }) },
    { band: 'warning', label: `${formatPercent(thresholds.warning)}–${formatPercent(thresholds.critical)}` },
    { band: 'critical', label: `≥${formatPercent(thresholds.critical)}` },
    { band: 'noData', label: t('legendNoData') },
  ];
  return (
    <div className="map-legend" aria-label={t('legendTitle', { zones })}>
      <span className="map-legend-title">{t('legendTitle', { zones })}</span>
      {items.map((item) => (
        <span key={item.band} className="map-legend-item">
          <span className={`map-legend-swatch swatch--${item.band}`} aria-hidden="true" />
          {item.label}
        </span>
      ))}
    </div>
  );
}
