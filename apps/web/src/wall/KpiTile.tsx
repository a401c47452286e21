import type { LoadBand } from '../theme';
import { Sparkline, type SparkPoint } from './Sparkline';

export type KpiTone = 'neutral' | LoadBand;

export interface KpiTileProps {
  label: string;
  value: string;
  unit?: string;
  /** Small second line under the value. */
  note?: string;
  tone: KpiTone;
  series: readonly SparkPoint[];
  seriesColor: string;
  /** data-testid suffix, e.g. `runners` -> `kpi-runners`. */
  id: string;
}

/** One big number with its trend over the last 30 minutes. */
export function KpiTile({ label, value, unit, note, tone, series, seriesColor, id }: KpiTileProps) {
  return (
    <section className={`kpi-tile kpi-tile--${tone}`} data-testid={`kpi-${id}`} aria-label={label}>
      <h2 className="kpi-label">{label}</h2>
      <p className="kpi-value">
        <span className="kpi-number" data-testid={`kpi-${id}-value`}>
          {value}
        </span>
        {unit ? <span className="kpi-unit">{unit}</span> : null}
      </p>
      {note ? <p className="kpi-note">{note}</p> : <p className="kpi-note">&nbsp;</p>}
      <div className="kpi-spark">
        <Sparkline points={series} color={seriesColor} fromZero />
      </div>
    </section>
  );
}
