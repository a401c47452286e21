import type { IndicatorPreview, IndicatorWriteInput } from '@cityops/contracts';
import { formatClock } from '../../format';
import { useI18n } from '../../i18n';
import { severityLabel } from '../webhooks/webhook-labels';
import { previewAreas, previewStretches } from './preview-view';
import { TrendLine, type TrendThreshold } from './TrendLine';

/** A value as the definition's format would show it. */
function shown(value: number, format: IndicatorWriteInput['format']): string {
  const decimals = format?.decimals ?? 1;
  return format?.percent ? `${(value * 100).toFixed(decimals)} %` : value.toFixed(decimals);
}

/** What a definition would have read over the last hour: a trend per area (worst first) and the stretches it would have alerted. */
export function IndicatorPreviewPanel({ preview, definition }: { preview: IndicatorPreview; definition: IndicatorWriteInput }) {
  const { t } = useI18n();
  const levels = definition.thresholds?.levels ?? [];
  const { rows, more } = previewAreas(preview, levels);
  const stretches = previewStretches(preview);
  const lines: TrendThreshold[] = levels.filter((l) => typeof l.value === 'number').map((l) => ({ level: l.level, value: l.value }));

  return (
    <section className="indicator-preview" aria-labelledby="indicator-preview-title" data-testid="indicator-preview">
      <div className="panel-head">
        <h3 id="indicator-preview-title" className="panel-title">
          {t('previewTitle')}
        </h3>
        <span className="section-subtitle num-text">
          {t('previewRange', { from: formatClock(preview.from), to: formatClock(preview.to), step: preview.stepSeconds })}
        </span>
      </div>
      {preview.areas.length === 0 ? (
        <p className="empty" data-testid="preview-empty">
          {t('previewNoAreas')}
        </p>
      ) : (
        <>
          <p className="form-hint preview-count">{t('previewAreas', { n: preview.areas.length })}</p>
          <ul className="preview-areas">
            {rows.map(({ area, worst, latest }) => (
              <li key={area.areaId} className="preview-area" data-testid="preview-area" data-area={area.areaCode}>
                <span className="preview-area-name">{area.areaName}</span>
                <TrendLine points={area.points} from={preview.from} to={preview.to} stepSeconds={preview.stepSeconds} thresholds={lines} />
                <span className="cell-sub num-text">
                  {worst === null ? '—' : t('previewWorst', { value: shown(worst, definition.format) })}
                  {latest === null ? null : ` · ${t('previewLatest', { value: shown(latest, definition.format) })}`}
                </span>
              </li>
            ))}
          </ul>
          {more ? (
            <p className="form-hint" data-testid="preview-more">
              {t('previewMore', { n: more })}
            </p>
          ) : null}
        </>
      )}
      <h4 className="form-label">{t('previewAlertsTitle')}</h4>
      {preview.alerts === null ? (
        <p className="empty" data-testid="preview-no-thresholds">
          {t('previewNoThresholds')}
        </p>
      ) : stretches.length === 0 ? (
        <p className="empty" data-testid="preview-no-alerts">
          {t('previewNoAlerts')}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table admin-table" data-testid="preview-alerts">
            <thead>
              <tr>
                <th>{t('previewColArea')}</th>
                <th>{t('previewColLevel')}</th>
                <th>{t('previewColFrom')}</th>
                <th>{t('previewColTo')}</th>
              </tr>
            </thead>
            <tbody>
              {stretches.map((s) => (
                <tr key={`${s.areaId}-${s.from}-${s.level}`} data-testid="preview-alert" data-level={s.level} data-area={s.areaCode}>
                  <td>{s.areaName}</td>
                  <td>
                    <span className={`chip level-chip level-chip--${s.level}`}>{severityLabel(t, s.level)}</span>
                  </td>
                  <td className="num-text">{formatClock(s.from)}</td>
                  <td className="num-text">{s.to ? formatClock(s.to) : t('previewOngoing')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
