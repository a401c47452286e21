import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { AlertView, AreaView, CameraView, IndicatorHistoryPoint, IndicatorValueView } from '@cityops/contracts';
import { fetchAreaAlerts, fetchAreaCameras, fetchAreaTrend } from '../api/cameras-api';
import { ApiError, isAbortError } from '../api/client';
import { serverNow } from '../clock';
import { formatClock, formatDateTime, formatPercent } from '../format';
import { useI18n } from '../i18n';
import type { LoadThresholds } from '../live/load-thresholds';
import { ProblemMessage } from '../ProblemMessage';
import { loadBand } from '../theme';
import { levelOf } from './alert-status';
import { LEVEL_LABELS } from './AlertList';
import type { AreaNameOf } from './area-names';
import { CameraGrid } from './CameraGrid';
import type { SparkPoint } from './Sparkline';

/** The trend's window: long enough to see a wave pass a segment, short enough to read in 1-minute steps. */
export const TREND_WINDOW_MS = 3600_000;

export interface SegmentDetailProps {
  segment: AreaView;
  indicatorKey: string;
  value: IndicatorValueView | undefined;
  thresholds: LoadThresholds;
  nameOf: AreaNameOf;
  onClose: () => void;
  /** Draws the trend (the wall's ECharts sparkline), kept out of here so the panel loads without a canvas. */
  trendChart: (points: readonly SparkPoint[]) => ReactNode;
}

interface Loaded {
  cameras: CameraView[] | null;
  trend: IndicatorHistoryPoint[] | null;
  alerts: AlertView[] | null;
  error: ApiError | null;
}

/** Reads the zone's cameras, trend and alerts once when it opens; each part shows as soon as it comes. */
function useSegmentDetail(segment: AreaView, indicatorKey: string): Loaded {
  const [loaded, setLoaded] = useState<Loaded>({ cameras: null, trend: null, alerts: null, error: null });
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const fail = (error: unknown) => {
      if (!isAbortError(error)) setLoaded((l) => ({ ...l, error: error instanceof ApiError ? error : l.error }));
    };
    fetchAreaCameras(segment.code, signal)
      .then((cameras) => setLoaded((l) => ({ ...l, cameras })))
      .catch(fail);
    fetchAreaTrend(indicatorKey, segment.id, new Date(serverNow() - TREND_WINDOW_MS), signal)
      .then((trend) => setLoaded((l) => ({ ...l, trend })))
      .catch(fail);
    fetchAreaAlerts(indicatorKey, segment.id, signal)
      .then((alerts) => setLoaded((l) => ({ ...l, alerts })))
      .catch(fail);
    return () => controller.abort();
  }, [segment.id, segment.code, indicatorKey]);
  return loaded;
}

/**
 * A zone opened from the map, the zone list or an alert: its load now and over the last hour,
 * its thresholds, its alerts and its cameras' frames. Escape or the close button returns to the
 * wall; nothing else on the wall stops while it is open.
 */
export function SegmentDetail({ segment, indicatorKey, value, thresholds, nameOf, onClose, trendChart }: SegmentDetailProps) {
  const { t } = useI18n();
  const { cameras, trend, alerts, error } = useSegmentDetail(segment, indicatorKey);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const points = useMemo(() => (trend ?? []).map((p): SparkPoint => [Date.parse(p.ts), p.value]), [trend]);
  const band = loadBand(value?.value, thresholds.warning, thresholds.critical);
  const title = nameOf(segment.id, segment.name);

  return (
    <section
      className="segment-detail"
      role="dialog"
      aria-modal="false"
      aria-labelledby="segment-detail-title"
      data-testid="segment-detail"
      data-area-code={segment.code}
    >
      <header className="segment-detail-header">
        <h2 id="segment-detail-title" className="segment-detail-title">
          {segment.seq !== null ? <span className="segment-detail-seq">{segment.seq}</span> : null}
          {title}
        </h2>
        <button ref={closeRef} type="button" className="segment-detail-close" onClick={onClose} aria-label={t('segmentDetailCloseLabel')}>
          {t('segmentDetailClose')}
        </button>
      </header>
      <div className="segment-detail-body">
        <div className="segment-detail-load">
          <div className={`segment-detail-now segment-detail-now--${band}`}>
            <span className="segment-detail-label">{t('segmentDetailNow')}</span>
            <span className="segment-detail-value" data-testid="segment-detail-load">
              {value ? formatPercent(value.value) : t('noData')}
            </span>
          </div>
          <div className="segment-detail-trend">
            <span className="segment-detail-label">{t('segmentDetailTrend')}</span>
            {trend && points.length === 0 ? <span className="segment-detail-empty">{t('segmentDetailNoTrend')}</span> : null}
            {points.length > 0 ? trendChart(points) : null}
          </div>
          <p className="segment-detail-thresholds">
            {t('segmentDetailThresholds', { warning: formatPercent(thresholds.warning), critical: formatPercent(thresholds.critical) })}
          </p>
          <h3 className="segment-detail-subtitle">{t('segmentDetailAlerts')}</h3>
          {alerts && alerts.length === 0 ? <p className="segment-detail-empty">{t('segmentDetailNoAlerts')}</p> : null}
          <ol className="segment-detail-alerts">
            {(alerts ?? []).map((alert) => (
              <li key={alert.id} className={`segment-detail-alert segment-detail-alert--${alert.level}`} data-testid="segment-detail-alert">
                <span className="segment-detail-alert-time">{formatDateTime(alert.firedAt ?? alert.startedAt)}</span>
                <span className="segment-detail-alert-level">{t(LEVEL_LABELS[levelOf(alert)])}</span>
                <span className="segment-detail-alert-value">{formatPercent(alert.value)}</span>
                <span className="segment-detail-alert-state">
                  {alert.resolvedAt
                    ? t('segmentDetailAlertResolved', { time: formatClock(alert.resolvedAt) })
                    : t('segmentDetailAlertOpen')}
                </span>
              </li>
            ))}
          </ol>
        </div>
        <div className="segment-detail-cameras">
          <h3 className="segment-detail-subtitle">{t('segmentDetailCameras', { n: cameras?.length ?? 0 })}</h3>
          {cameras && cameras.length === 0 ? <p className="segment-detail-empty">{t('segmentDetailNoCameras')}</p> : null}
          <CameraGrid cameras={cameras ?? []} />
        </div>
      </div>
      <ProblemMessage error={error} className="panel-problem" />
    </section>
  );
}
