import { useMemo } from 'react';
import { themeLabel } from '../catalog/labels';
import { useI18n } from '../i18n';
import type { VitalSign } from '../live/useVitalSigns';
import { ACCENT, LOAD_COLORS } from '../theme';
import type { WallLevel } from './alert-status';
import type { AreaNameOf } from './area-names';
import { formatValue, unitLabel } from './indicator-format';
import { Sparkline, type SparkPoint } from './Sparkline';
import { headlineOf, lowIsWorse } from './vital-signs';

export interface VitalSignsPanelProps {
  signs: readonly VitalSign[];
  /** Enabled indicators not shown (beyond the panel's limit). */
  hidden: number;
  loaded: boolean;
  /** The most severe active alert level per indicator key (from the wall's alert store). */
  alertLevels: ReadonlyMap<string, WallLevel>;
  cityName: string | null;
  nameOf: AreaNameOf;
}

/** The city's vital signs beside the event panel: one headline figure and a 24-hour trend each. */
export function VitalSignsPanel({ signs, hidden, loaded, alertLevels, cityName, nameOf }: VitalSignsPanelProps) {
  const { t } = useI18n();
  return (
    <section className="panel vitals-panel" aria-labelledby="vitals-title" data-testid="vitals-panel">
      <header className="panel-header">
        <h2 id="vitals-title" className="panel-title">
          {t('vitalsTitle')}
        </h2>
        <span className="panel-count" data-testid="vitals-count">
          {loaded ? signs.length + hidden : '—'}
        </span>
      </header>
      {loaded && signs.length === 0 ? <p className="vitals-empty">{t('vitalsEmpty')}</p> : null}
      <ol
        className={signs.length > 9 ? 'vitals-list vitals-list--dense' : 'vitals-list'}
        style={{ ['--rows' as string]: Math.max(signs.length, 4) }}
      >
        {signs.map((sign) => (
          <VitalSignRow
            key={sign.definition.key}
            sign={sign}
            level={alertLevels.get(sign.definition.key) ?? null}
            cityName={cityName}
            nameOf={nameOf}
          />
        ))}
      </ol>
      {hidden > 0 ? <p className="vitals-more">{t('vitalsMore', { n: hidden })}</p> : null}
    </section>
  );
}

interface VitalSignRowProps {
  sign: VitalSign;
  level: WallLevel | null;
  cityName: string | null;
  nameOf: AreaNameOf;
}

function VitalSignRow({ sign, level, cityName, nameOf }: VitalSignRowProps) {
  const { t, lang } = useI18n();
  const { definition, latest, trend } = sign;
  const name = lang === 'en' && definition.nameEn ? definition.nameEn : definition.name;
  const headline = headlineOf(latest, cityName);
  const unit = unitLabel(definition);
  const multiArea = (latest?.values.length ?? 0) > 1;
  const caption = [t(multiArea ? 'vitalsWindowMax' : 'vitalsWindow'), unit].filter(Boolean).join(' · ');
  let where: string | null = null;
  if (headline?.kind === 'city') where = t('vitalsCity');
  else if (headline?.kind === 'only') where = nameOf(headline.value.areaId, headline.value.areaName);
  else if (headline?.kind === 'worst') {
    const area = nameOf(headline.value.areaId, headline.value.areaName);
    where = t(lowIsWorse(latest?.thresholds ?? definition.thresholds) ? 'vitalsLeast' : 'vitalsWorst', { area });
  }
  const points = useMemo<SparkPoint[]>(() => trend.map((p) => [Date.parse(p.ts), p.maxValue]), [trend]);
  const color = level === 'critical' ? LOAD_COLORS.critical : level === 'warning' ? LOAD_COLORS.warning : ACCENT;

  return (
    <li
      className={`vital-row vital-row--${level ?? 'normal'}`}
      data-testid="vital-sign"
      data-key={definition.key}
      data-level={level ?? 'normal'}
    >
      <span className="vital-name">
        {definition.theme ? <span className="vital-theme">{themeLabel(t, definition.theme)}</span> : null}
        <span className="vital-name-text">{name}</span>
      </span>
      <span className="vital-value" data-testid="vital-value">
        {headline ? formatValue(headline.value.value, definition, lang) : t('vitalsNoValue')}
      </span>
      <span className="vital-caption">
        <span className="vital-window" data-testid="vital-window">
          {caption}
        </span>
        {where ? <span className="vital-where">{where}</span> : null}
      </span>
      <span className="vital-spark">
        <Sparkline points={points} color={color} />
      </span>
    </li>
  );
}
