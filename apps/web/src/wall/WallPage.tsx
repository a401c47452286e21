import { useCallback, useEffect, useMemo, useState } from 'react';
import { indicatorChannel, type AlertView, type UserView } from '@cityops/contracts';
import { ApiError } from '../api/client';
import { SEGMENT_LOAD_INDICATOR, acknowledgeAlert } from '../api/wall-api';
import { canAcknowledge, handleUnauthorized } from '../auth/session';
import { formatInteger, formatPercent } from '../format';
import { useI18n } from '../i18n';
import { troubledFeeds, useFeedHealth } from '../live/useFeedHealth';
import { useLiveAlerts } from '../live/useLiveAlerts';
import { useLiveClient } from '../live/useLiveClient';
import { DEFAULT_THRESHOLDS, useLiveIndicator } from '../live/useLiveIndicator';
import { useLiveStatus } from '../live/useLiveStatus';
import { CameraDirector, type CameraFocus } from '../map/CameraDirector';
import { boundsOfAreas } from '../map/geo';
import { AREA_BOUNDARY_BOTTOM_LAYER_ID } from '../map/layers/area-boundaries-layer.style';
import { AreaBoundariesLayer } from '../map/layers/AreaBoundariesLayer';
import { CourseSegmentsLayer } from '../map/layers/CourseSegmentsLayer';
import { DistrictsLayer } from '../map/layers/DistrictsLayer';
import { MapView } from '../map/MapView';
import { ProblemMessage } from '../ProblemMessage';
import { ACCENT, LOAD_COLORS } from '../theme';
import { AlertList } from './AlertList';
import { areaNameLookup } from './area-names';
import { CriticalBanner } from './CriticalBanner';
import { KpiTile } from './KpiTile';
import { MapLegend } from './MapLegend';
import { SegmentList } from './SegmentList';
import type { SparkPoint } from './Sparkline';
import { StatusBanners } from './StatusBanners';
import { useSampledSeries } from './useSampledSeries';
import { useWallData } from './useWallData';
import { WallHeader } from './WallHeader';

/** How long the red banner stays up for a new critical alert. */
const BANNER_MS = 15_000;
/** How long a freshly announced alert keeps its "NEW" mark in the list. */
const FRESH_MS = 120_000;
/** How long the map stays on the alert's area before flying back to the course. */
const FOCUS_MS = 20_000;

/** `feeds` carries the feed health behind the header's quiet "feed issues" note. */
const CHANNELS = ['alerts', 'feeds', indicatorChannel(SEGMENT_LOAD_INDICATOR)];

interface Announcement {
  alert: AlertView;
  at: number;
}

/** The `/wall` command-centre screen: header, KPIs, segment list, map, alerts. No mouse needed. */
export function WallPage({ user }: { user: UserView | null }) {
  const { t, lang } = useI18n();
  const { config, districts, segments, feeds, error: dataError } = useWallData();

  // One live connection for the page's lifetime.
  const live = useLiveClient(CHANNELS);
  const liveStatus = useLiveStatus(live);

  // New critical alerts: banner, map focus, "NEW" mark.
  const [announcements, setAnnouncements] = useState<Announcement[]>([]);
  const [focus, setFocus] = useState<CameraFocus | null>(null);
  const onNewCritical = useCallback((alert: AlertView) => {
    const at = Date.now();
    setAnnouncements((list) => [...list.filter((a) => a.alert.id !== alert.id), { alert, at }]);
    if (alert.center) setFocus({ key: `${alert.id}@${at}`, center: alert.center });
  }, []);

  const indicator = useLiveIndicator(live, SEGMENT_LOAD_INDICATOR);
  const alerts = useLiveAlerts(live, onNewCritical);
  const feedHealth = useFeedHealth(live);
  const feedIssues = useMemo(() => {
    const names = new Map(feeds.map((f) => [f.key, lang === 'en' && f.nameEn ? f.nameEn : f.name]));
    return troubledFeeds(feedHealth.feeds).map((h) => ({ key: h.feedKey, name: names.get(h.feedKey) ?? h.feedKey, status: h.status }));
  }, [feeds, feedHealth.feeds, lang]);

  // Expire announcements without re-rendering the page every second.
  const [bannerNow, setBannerNow] = useState(() => Date.now());
  useEffect(() => {
    if (announcements.length === 0) return undefined;
    const now = Date.now();
    const deadlines = announcements.flatMap((a) => [a.at + BANNER_MS, a.at + FRESH_MS]).filter((deadline) => deadline > now);
    if (deadlines.length === 0) return undefined;
    const timer = setTimeout(
      () => {
        const at = Date.now();
        setBannerNow(at);
        setAnnouncements((list) => list.filter((a) => a.at + FRESH_MS > at));
      },
      Math.min(...deadlines) - now + 20,
    );
    return () => clearTimeout(timer);
  }, [announcements, bannerNow]);
  useEffect(() => {
    if (!focus) return undefined;
    const timer = setTimeout(() => setFocus(null), FOCUS_MS);
    return () => clearTimeout(timer);
  }, [focus]);

  const alertsById = useMemo(() => new Map(alerts.alerts.map((a) => [a.id, a])), [alerts.alerts]);
  const bannerAlerts = announcements.filter((a) => bannerNow < a.at + BANNER_MS).map((a) => alertsById.get(a.alert.id) ?? a.alert);
  const freshIds = useMemo(
    () => new Set(announcements.filter((a) => bannerNow < a.at + FRESH_MS).map((a) => a.alert.id)),
    [announcements, bannerNow],
  );

  // Indicator-derived figures.
  const latest = indicator.latest;
  const thresholds = latest?.thresholds ?? DEFAULT_THRESHOLDS;
  const values = latest?.values ?? null;
  const valuesByArea = useMemo(() => new Map((values ?? []).map((v) => [v.areaId, v])), [values]);
  const figures = useMemo(() => {
    let runners = 0;
    let warning = 0;
    let critical = 0;
    let newestTs: number | null = null;
    for (const v of values ?? []) {
      runners += v.numerator ?? 0;
      if (v.value >= thresholds.warning) warning += 1;
      if (v.value >= thresholds.critical) critical += 1;
      const ts = Date.parse(v.ts);
      if (!Number.isNaN(ts) && (newestTs === null || ts > newestTs)) newestTs = ts;
    }
    return { runners, warning, critical, newestTs };
  }, [values, thresholds.warning, thresholds.critical]);
  const hasValues = values !== null && values.length > 0;

  const series = useMemo(() => {
    const runners: SparkPoint[] = [];
    const warning: SparkPoint[] = [];
    const critical: SparkPoint[] = [];
    for (const p of indicator.summary) {
      const ts = Date.parse(p.ts);
      runners.push([ts, p.sumNumerator]);
      warning.push([ts, p.atOrAboveWarning]);
      critical.push([ts, p.atOrAboveCritical]);
    }
    return { runners, warning, critical };
  }, [indicator.summary]);
  const alertSeries = useSampledSeries(alerts.loaded ? alerts.alerts.length : null);
  const criticalAlerts = alerts.alerts.filter((a) => a.level === 'critical').length;

  const nameOf = useMemo(() => areaNameLookup([...segments, ...districts], lang), [segments, districts, lang]);
  const courseBounds = useMemo(() => boundsOfAreas(segments), [segments]);

  // Browser tests wait for the course to be on the map.
  const [renderedSegments, setRenderedSegments] = useState(0);
  const onSegmentsRendered = useCallback((count: number) => setRenderedSegments(count), []);

  // Acknowledging is for admins and dispatchers only (never the kiosk viewer).
  const mayAck = canAcknowledge(user);
  const [pendingAcks, setPendingAcks] = useState<ReadonlySet<string>>(new Set());
  const [ackError, setAckError] = useState<ApiError | null>(null);
  const { upsert } = alerts;
  const onAcknowledge = useCallback(
    (alert: AlertView) => {
      setPendingAcks((s) => new Set(s).add(alert.id));
      acknowledgeAlert(alert.id)
        .then((updated) => {
          if (updated) upsert(updated);
          setAckError(null);
        })
        .catch((error: unknown) => setAckError(error instanceof ApiError ? error : null))
        .finally(() =>
          setPendingAcks((s) => {
            const next = new Set(s);
            next.delete(alert.id);
            return next;
          }),
        );
    },
    [upsert],
  );

  if (!config) {
    return (
      <div className="wall wall--loading">
        <p className="wall-loading-text">{t('loading')}</p>
        <ProblemMessage error={dataError} />
      </div>
    );
  }

  const dash = '—';
  const warnPct = formatPercent(thresholds.warning);
  const critPct = formatPercent(thresholds.critical);

  return (
    <div className="wall" data-live-status={liveStatus} data-lang={lang}>
      <WallHeader demo={config.demo} userName={user?.displayName ?? null} feedIssues={feedIssues} />

      <div className="wall-kpis">
        <KpiTile
          id="runners"
          label={t('kpiRunners')}
          value={hasValues ? formatInteger(figures.runners, lang) : dash}
          unit={t('kpiRunnersUnit')}
          tone="neutral"
          series={series.runners}
          seriesColor={ACCENT}
        />
        <KpiTile
          id="warning-segments"
          label={t('kpiWarningSegments', { pct: warnPct })}
          value={hasValues ? String(figures.warning) : dash}
          unit={t('kpiSegmentsUnit')}
          note={hasValues ? t('kpiOfTotal', { n: values.length }) : undefined}
          tone={figures.warning > 0 ? 'warning' : 'normal'}
          series={series.warning}
          seriesColor={LOAD_COLORS.warning}
        />
        <KpiTile
          id="critical-segments"
          label={t('kpiCriticalSegments', { pct: critPct })}
          value={hasValues ? String(figures.critical) : dash}
          unit={t('kpiSegmentsUnit')}
          note={hasValues ? t('kpiOfTotal', { n: values.length }) : undefined}
          tone={figures.critical > 0 ? 'critical' : 'normal'}
          series={series.critical}
          seriesColor={LOAD_COLORS.critical}
        />
        <KpiTile
          id="open-alerts"
          label={t('kpiOpenAlerts')}
          value={alerts.loaded ? String(alerts.alerts.length) : dash}
          unit={t('kpiOpenAlertsUnit')}
          note={criticalAlerts > 0 ? t('kpiCriticalAlerts', { n: criticalAlerts }) : undefined}
          tone={criticalAlerts > 0 ? 'critical' : alerts.alerts.length > 0 ? 'warning' : 'normal'}
          series={alertSeries}
          seriesColor={criticalAlerts > 0 ? LOAD_COLORS.critical : LOAD_COLORS.warning}
        />
      </div>

      <main className="wall-main">
        <SegmentList segments={segments} valuesByArea={valuesByArea} thresholds={thresholds} nameOf={nameOf} />

        <section className="map-panel">
          <MapView
            basemapStyleUrl={config.basemapStyleUrl}
            initialBounds={config.city.bounds}
            frameProps={{ 'data-segments': renderedSegments || undefined }}
            layers={
              <>
                <AreaBoundariesLayer onUnauthorized={handleUnauthorized} />
                <DistrictsLayer districts={districts} fillBeforeId={AREA_BOUNDARY_BOTTOM_LAYER_ID} />
                <CourseSegmentsLayer segments={segments} values={values} thresholds={thresholds} onRendered={onSegmentsRendered} />
                <CameraDirector home={courseBounds} focus={focus} returnAfterMs={FOCUS_MS} />
              </>
            }
          >
            <div className="map-overlay-top">
              <CriticalBanner alerts={bannerAlerts} nameOf={nameOf} />
              <StatusBanners status={liveStatus} newestTs={figures.newestTs} loaded={latest !== null || indicator.error !== null} />
            </div>
            <MapLegend thresholds={thresholds} />
            {renderedSegments > 0 ? <span data-testid="segments-ready" data-count={renderedSegments} hidden /> : null}
          </MapView>
        </section>

        <AlertList
          alerts={alerts.alerts}
          freshIds={freshIds}
          nameOf={nameOf}
          onAcknowledge={mayAck ? onAcknowledge : undefined}
          pendingIds={pendingAcks}
        >
          <ProblemMessage error={ackError ?? alerts.error ?? indicator.error ?? dataError} className="panel-problem" />
        </AlertList>
      </main>
    </div>
  );
}
