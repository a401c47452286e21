import type { AreaView, IndicatorDefinitionView, IndicatorValuesEvent } from '@cityops/contracts';
import { useI18n, type MessageKey } from '../i18n';
import { formatValue } from '../wall/indicator-format';
import { BAND_COLORS, bandOf, opSymbol, rampColor, thresholdLegend } from './choropleth-colors';
import { CHOROPLETH_LEVELS, type ChoroplethLevel } from './map-url-state';

export interface ChoroplethPanelProps {
  indicators: readonly IndicatorDefinitionView[];
  indicatorKey: string | null;
  onIndicator: (key: string | null) => void;
  level: ChoroplethLevel;
  /** The level the map shows now (the children's level when drilled in). */
  shownLevel: string;
  onLevel: (level: ChoroplethLevel) => void;
  /** From the city down to the area drilled into. */
  path: readonly AreaView[];
  onDrill: (areaId: number | null) => void;
  latest: ReadonlyMap<string, IndicatorValuesEvent>;
  /** The area whose vital signs are listed: the one drilled into, else the city. */
  focus: AreaView | null;
  /** The value ramp's extremes when the indicator has no thresholds. */
  ramp: { min: number; max: number } | null;
}

const SEVERITY: Record<string, MessageKey> = {
  below: 'mapLegendBelow',
  notice: 'mapLegendNotice',
  warning: 'mapLegendWarning',
  critical: 'mapLegendCritical',
  noData: 'mapLegendNoData',
};

/** The choropleth's indicator and level, the drill-down breadcrumb, the legend and the vital signs of the area in focus. */
export function ChoroplethPanel(props: ChoroplethPanelProps) {
  const { t, lang } = useI18n();
  const { indicators, indicatorKey, level, shownLevel, path, latest, focus, ramp } = props;
  const definition = indicators.find((d) => d.key === indicatorKey) ?? null;
  const name = (d: IndicatorDefinitionView) => (lang === 'en' ? (d.nameEn ?? d.name) : d.name);
  const areaName = (a: AreaView) => (lang === 'en' ? (a.nameEn ?? a.name) : a.name);
  const drilled = path.length > 1;
  return (
    <div className="choropleth-panel">
      <label className="field">
        <span>{t('mapIndicator')}</span>
        <select data-testid="indicator-picker" value={indicatorKey ?? ''} onChange={(e) => props.onIndicator(e.target.value || null)}>
          <option value="">{t('mapIndicatorNone')}</option>
          {indicators.map((d) => (
            <option key={d.key} value={d.key}>
              {name(d)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('mapLevel')}</span>
        <select
          data-testid="level-picker"
          value={drilled ? shownLevel : level}
          disabled={drilled}
          onChange={(e) => props.onLevel(e.target.value as ChoroplethLevel)}
        >
          {(drilled ? [shownLevel] : CHOROPLETH_LEVELS).map((l) => (
            <option key={l} value={l}>
              {t(`mapLevel_${l}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <nav className="breadcrumb" aria-label={t('mapBreadcrumb')} data-testid="breadcrumb">
        {path.map((area, i) => {
          const last = i === path.length - 1;
          const label = i === 0 ? t('mapCity') : areaName(area);
          return (
            <span key={area.id} className="breadcrumb-step">
              {i > 0 ? <span className="breadcrumb-sep">›</span> : null}
              {last ? (
                <strong data-testid="breadcrumb-current" data-area-id={area.id}>
                  {label}
                </strong>
              ) : (
                <button
                  type="button"
                  className="link-button"
                  data-testid="breadcrumb-step"
                  onClick={() => props.onDrill(i === 0 ? null : area.id)}
                >
                  {label}
                </button>
              )}
            </span>
          );
        })}
      </nav>
      {definition ? (
        <ul className="choropleth-legend" data-testid="choropleth-legend">
          {definition.thresholds
            ? thresholdLegend(definition.thresholds.levels).map((e) => (
                <li key={e.kind}>
                  <span className="legend-swatch" style={{ background: e.color }} />
                  {t(SEVERITY[e.kind])}
                  {e.op && e.value !== null ? ` ${opSymbol(e.op)} ${formatValue(e.value, definition, lang)}` : ''}
                </li>
              ))
            : null}
          {!definition.thresholds && ramp ? (
            <li>
              <span
                className="legend-ramp"
                style={{ background: `linear-gradient(90deg, ${rampColor(0)}, ${rampColor(0.5)}, ${rampColor(1)})` }}
              />
              {t('mapLegendRamp', { min: formatValue(ramp.min, definition, lang), max: formatValue(ramp.max, definition, lang) })}
            </li>
          ) : null}
        </ul>
      ) : null}
      {focus ? (
        <section className="vital-signs" data-testid="area-vital-signs" data-area-id={focus.id}>
          <h3>{t('mapVitalSigns', { name: path.length <= 1 ? t('mapCity') : areaName(focus) })}</h3>
          <VitalSigns indicators={indicators} latest={latest} areaId={focus.id} />
        </section>
      ) : null}
    </div>
  );
}

function VitalSigns({
  indicators,
  latest,
  areaId,
}: {
  indicators: readonly IndicatorDefinitionView[];
  latest: ReadonlyMap<string, IndicatorValuesEvent>;
  areaId: number;
}) {
  const { t, lang } = useI18n();
  const rows = indicators.flatMap((d) => {
    const value = latest.get(d.key)?.values.find((v) => v.areaId === areaId)?.value;
    return value === undefined ? [] : [{ d, value }];
  });
  if (rows.length === 0) return <p className="dim">{t('mapVitalSignsNone')}</p>;
  return (
    <ul>
      {rows.map(({ d, value }) => (
        <li key={d.key} data-testid="vital-sign" data-indicator={d.key}>
          <span>{lang === 'en' ? (d.nameEn ?? d.name) : d.name}</span>
          <strong style={{ color: BAND_COLORS[bandOf(value, d.thresholds?.levels)] }}>{formatValue(value, d, lang)}</strong>
        </li>
      ))}
    </ul>
  );
}
