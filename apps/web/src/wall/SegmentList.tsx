import type { AreaView, IndicatorValueView } from '@cityops/contracts';
import { formatInteger, formatPercent } from '../format';
import { useI18n } from '../i18n';
import type { LoadThresholds as IndicatorThresholds } from '../live/load-thresholds';
import { loadBand } from '../theme';
import type { AreaNameOf } from './area-names';

/** The bar runs to 125 % so that over-capacity segments still show how far over they are. */
const BAR_MAX = 1.25;

export interface SegmentListProps {
  /** The scene's zones in order. */
  segments: readonly AreaView[];
  /** What the scene calls its zones (路段, `segments`). */
  zones: string;
  valuesByArea: ReadonlyMap<number, IndicatorValueView>;
  thresholds: IndicatorThresholds;
  nameOf: AreaNameOf;
  /** Opens a zone's panel; without it the names are plain text (as on a display, which has no pointer). */
  onSelect?: (segment: AreaView) => void;
}

function barPosition(ratio: number): string {
  return `${(Math.min(Math.max(ratio, 0), BAR_MAX) / BAR_MAX) * 100}%`;
}

/** All zones of the scene in order with load % and a colour bar (the map carries no labels). */
export function SegmentList({ segments, zones, valuesByArea, thresholds, nameOf, onSelect }: SegmentListProps) {
  const { t, lang } = useI18n();
  return (
    <section className="panel segment-panel" aria-labelledby="segments-title">
      <header className="panel-header">
        <h2 id="segments-title" className="panel-title">
          {t('segmentsTitle', { zones })}
        </h2>
        <span className="panel-subtitle">{t('segmentsSubtitle')}</span>
      </header>
      <ol className="segment-list" style={{ ['--rows' as string]: Math.max(segments.length, 1) }}>
        {segments.map((segment) => {
          const value = valuesByArea.get(segment.id);
          const band = loadBand(value?.value, thresholds.warning, thresholds.critical);
          return (
            <li
              key={segment.id}
              className={`segment-row segment-row--${band}`}
              data-testid="segment-row"
              data-seq={segment.seq ?? undefined}
              data-area-code={segment.code}
              data-level={band}
            >
              <span className="segment-seq">{segment.seq ?? '·'}</span>
              <span className="segment-name">
                {onSelect ? (
                  <button type="button" className="segment-open" onClick={() => onSelect(segment)} data-testid="segment-open">
                    {nameOf(segment.id, segment.name)}
                  </button>
                ) : (
                  nameOf(segment.id, segment.name)
                )}
              </span>
              <span className="segment-count">
                {value && value.numerator !== null && value.denominator !== null
                  ? `${formatInteger(value.numerator, lang)} / ${formatInteger(value.denominator, lang)}`
                  : ''}
              </span>
              <span className="segment-pct">{value ? formatPercent(value.value) : t('noData')}</span>
              <span className="segment-bar" aria-hidden="true">
                <span className="segment-bar-fill" style={{ width: value ? barPosition(value.value) : '0%' }} />
                <span className="segment-bar-tick" style={{ left: barPosition(thresholds.warning) }} />
                <span className="segment-bar-tick segment-bar-tick--critical" style={{ left: barPosition(thresholds.critical) }} />
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
