import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AreaView, LayerView, SessionUser } from '@cityops/contracts';
import { fetchLayers } from '../api/analyst-map-api';
import { ApiError } from '../api/client';
import { createSilence } from '../api/silences-api';
import { acknowledgeAlert, fetchAlert, fetchWallPlaylist, type AppConfig } from '../api/wall-api';
import { canAcknowledge, canSilence, handleUnauthorized } from '../auth/session';
import { serverNow } from '../clock';
import { formatInteger } from '../format';
import { useI18n } from '../i18n';
import { loadThresholdsOf } from '../live/load-thresholds';
import type { LiveClient } from '../live/socket';
import { troubledFeeds, useFeedHealth } from '../live/useFeedHealth';
import { useLiveClient } from '../live/useLiveClient';
import { useLiveIndicator } from '../live/useLiveIndicator';
import { useLiveStatus } from '../live/useLiveStatus';
import { useVitalSigns, type VitalSignDefinition } from '../live/useVitalSigns';
import { CameraDirector, type CameraFocus } from '../map/CameraDirector';
import { boundsOfAreas } from '../map/geo';
import { AREA_BOUNDARY_BOTTOM_LAYER_ID } from '../map/layers/area-boundaries-layer.style';
import { AreaBoundariesLayer } from '../map/layers/AreaBoundariesLayer';
import { STREET_LABEL_LAYER_ID } from '../map/layers/context-labels-layer.style';
import { ContextLabelsLayer } from '../map/layers/ContextLabelsLayer';
import { CourseSegmentsLayer } from '../map/layers/CourseSegmentsLayer';
import { DistrictsLayer } from '../map/layers/DistrictsLayer';
import { MapView } from '../map/MapView';
import { ProblemMessage } from '../ProblemMessage';
import { WALL_SILENCE_MS } from '../silences/silence-form';
import { ACCENT, LOAD_COLORS } from '../theme';
import { zonesInAlert } from './alert-board';
import { canFileFromAlert } from './alert-case';
import { indicatorLabel, type WallAlert } from './alert-status';
import { AlertList, type IndicatorInfo } from './AlertList';
import { areaNameLookup } from './area-names';
import { CasesPanel } from './CasesPanel';
import { CriticalBanner } from './CriticalBanner';
import { DataAsOf, newestReading } from './DataAsOf';
import { KpiTile } from './KpiTile';
import { MapLegend } from './MapLegend';
import { availableStops } from './rotation';
import { RotationBar } from './RotationBar';
import { allWallChannels, capitalise, chooseScene, requestedSceneKey, sceneFeedFirst, sceneWording, type SceneChoice } from './scene';
import { resolveSceneLayers } from './scene-layers';
import { SceneCamerasPanel } from './SceneCameras';
import { SceneKpiTile } from './SceneKpiTile';
import { SceneLayers, SceneLayersLegend, type SceneLayersProbe } from './SceneLayers';
import { SceneNotice } from './SceneNotice';
import { SegmentDetail } from './SegmentDetail';
import { SegmentList } from './SegmentList';
import { Sparkline, type SparkPoint } from './Sparkline';
import { StatusBanners } from './StatusBanners';
import { useRotation } from './useRotation';
import { useSampledSeries } from './useSampledSeries';
import { useWallAlerts, type WallAlerts } from './useWallAlerts';
import { useRetryingLoad, useWallData, useZones, WALL_CONFIG_REFRESH_MS, type WallData } from './useWallData';
import { VitalSignsPanel } from './VitalSignsPanel';
import { WallHeader } from './WallHeader';

/** A zone's load over the panel's window, from zero so a quiet hour looks quiet. */
const segmentTrendChart = (points: readonly SparkPoint[]) => <Sparkline points={points} color={ACCENT} fromZero />;

/** How long the map stays on the alert's area before flying back to the course. */
const FOCUS_MS = 20_000;

/** Names and value styles of the alerts' indicators: from the definitions, else from the alert itself. */
function indicatorInfo(definitions: ReadonlyMap<string, VitalSignDefinition>, lang: 'zh' | 'en'): IndicatorInfo {
  return {
    label: (alert) => {
      const definition = definitions.get(alert.indicatorKey);
      if (definition) return lang === 'en' && definition.nameEn ? definition.nameEn : definition.name;
      if (alert.indicatorName || lang === 'en') return indicatorLabel(alert, lang);
      // Today's title is "<area> · <indicator name>".
      return alert.title.split(' · ').at(-1) ?? alert.indicatorKey;
    },
    style: (alert) => definitions.get(alert.indicatorKey) ?? alert,
  };
}

/**
 * The `/wall` command-centre screen. What it shows comes from the scene the API serves: the
 * first enabled one, or the one named by `?scene=<key>`. Without one it says so and still shows
 * the map, the districts and the alerts.
 */
export function WallPage({ user }: { user: SessionUser | null }) {
  const { t } = useI18n();
  const data = useWallData();
  const [requested] = useState(() => requestedSceneKey(window.location.search));

  if (!data.config) {
    return (
      <div className="wall wall--loading">
        <p className="wall-loading-text">{t('loading')}</p>
        <ProblemMessage error={data.error} />
      </div>
    );
  }
  return <WallRotation user={user} config={data.config} data={data} requested={requested} />;
}

/**
 * The wall's lifetime: one live connection and one alert store across every scene, and the
 * rotation that picks the scene (`?scene=<key>` holds one scene and stops the rotation).
 */
function WallRotation({
  user,
  config,
  data,
  requested,
}: {
  user: SessionUser | null;
  config: AppConfig;
  data: WallData;
  requested: string | null;
}) {
  const { t } = useI18n();
  // Every scene's indicators, so a scene change needs no new connection.
  const live = useLiveClient(allWallChannels(config.scenes));

  // New critical alerts: the map flies there.
  const [focus, setFocus] = useState<CameraFocus | null>(null);
  const onAnnounce = useCallback((alert: WallAlert) => {
    if (alert.center) setFocus({ key: `${alert.id}@${Date.now()}`, center: alert.center });
  }, []);
  useEffect(() => {
    if (!focus) return undefined;
    const timer = setTimeout(() => setFocus(null), FOCUS_MS);
    return () => clearTimeout(timer);
  }, [focus]);
  const alerts = useWallAlerts(live, onAnnounce);

  const [playlistError, setPlaylistError] = useState<ApiError | null>(null);
  const playlistAnswer = useRetryingLoad(fetchWallPlaylist, setPlaylistError, WALL_CONFIG_REFRESH_MS);
  const playlist = requested === null ? (playlistAnswer?.playlist ?? null) : null;
  // The layer catalog for every scene (a scene names its layers by catalog key), read again like the scenes.
  const [catalogError, setCatalogError] = useState<ApiError | null>(null);
  const catalog = useRetryingLoad(fetchLayers, setCatalogError, WALL_CONFIG_REFRESH_MS);
  const rotation = useRotation(playlist, config.scenes, alerts.alerts, data.districts);
  const stops = playlist ? availableStops(playlist.entries, config.scenes).length : 0;

  // Wait for the playlist (not for a failing API: then the first scene, as before rotations).
  if (requested === null && playlistAnswer === null && playlistError === null) {
    return (
      <div className="wall wall--loading">
        <p className="wall-loading-text">{t('loading')}</p>
      </div>
    );
  }
  const choice = chooseScene(config.scenes, rotation?.sceneKey ?? requested);
  // A new scene is a new board: its zones and indicator are read once, on mount.
  const boardKey = choice.kind === 'scene' ? `scene:${choice.scene.key}` : choice.kind;
  return (
    <WallBoard
      key={boardKey}
      user={user}
      config={config}
      data={data}
      choice={choice}
      live={live}
      alerts={alerts}
      focus={focus}
      catalog={catalog}
      catalogError={catalogError}
      rotationBar={rotation && stops > 0 ? <RotationBar view={rotation} scenes={config.scenes} stops={stops} /> : null}
    />
  );
}

interface WallBoardProps {
  user: SessionUser | null;
  config: AppConfig;
  data: WallData;
  choice: SceneChoice;
  live: LiveClient | null;
  alerts: WallAlerts;
  focus: CameraFocus | null;
  /** The layer catalog; null until it has loaded. */
  catalog: readonly LayerView[] | null;
  catalogError: ApiError | null;
  rotationBar: ReactNode;
}

/** Header, KPIs, zone list, map, alerts: one scene's board. No mouse needed. */
function WallBoard({ user, config, data, choice, live, alerts, focus, catalog, catalogError, rotationBar }: WallBoardProps) {
  const { t, lang } = useI18n();
  const { districts, error: dataError } = data;
  const shown = choice.kind === 'scene' ? choice.scene : null;
  // Only an event draws zones coloured by an indicator; the other kinds show their tiles and frame.
  const scene = shown?.kind === 'event' ? shown : null;
  const wording = scene ? sceneWording(scene, lang) : null;
  const [zonesError, setZonesError] = useState<ApiError | null>(null);
  const segments = useZones(scene?.zoneSet ?? null, setZonesError);
  const liveStatus = useLiveStatus(live);

  // The scene's catalog layers (any kind may name some); a key the catalog lacks is named, not drawn.
  const sceneLayers = useMemo(
    () => (catalog ? resolveSceneLayers(shown?.layers ?? [], catalog) : { layers: [], missing: [] }),
    [catalog, shown],
  );
  const [layerProbe, setLayerProbe] = useState<SceneLayersProbe | null>(null);
  const sceneCameras = shown?.cameras ?? null;
  const sceneCases = shown?.cases ?? null;

  const indicator = useLiveIndicator(live, scene?.indicatorKey ?? null);
  const vitals = useVitalSigns(live);
  const feedHealth = useFeedHealth(live);
  const sceneFeed = scene?.feedKey ?? null;
  const feedIssues = useMemo(() => {
    const issues = troubledFeeds(feedHealth.feeds).map((h) => ({
      key: h.feedKey,
      name: lang === 'en' && h.nameEn ? h.nameEn : h.name,
      status: h.status,
    }));
    return sceneFeedFirst(issues, sceneFeed);
  }, [feedHealth.feeds, lang, sceneFeed]);

  // Banner, list and KPIs all read the one alert store: they cannot disagree.
  const active = alerts.alerts;
  const alertCounts = alerts.counts;
  const definitions = useMemo(() => new Map(vitals.signs.map((s) => [s.definition.key, s.definition])), [vitals.signs]);
  const indicatorNames = useMemo(() => indicatorInfo(definitions, lang), [definitions, lang]);

  // Indicator-derived figures.
  const latest = indicator.latest;
  const thresholds = useMemo(() => loadThresholdsOf(latest?.thresholds ?? null), [latest?.thresholds]);
  const values = latest?.values ?? null;
  const valuesByArea = useMemo(() => new Map((values ?? []).map((v) => [v.areaId, v])), [values]);
  const figures = useMemo(() => {
    let total = 0;
    let newestTs: number | null = null;
    for (const v of values ?? []) {
      total += v.numerator ?? 0;
      const ts = Date.parse(v.ts);
      if (!Number.isNaN(ts) && (newestTs === null || ts > newestTs)) newestTs = ts;
    }
    return { total, newestTs };
  }, [values]);
  const newestOnWall = useMemo(() => newestReading([latest, ...vitals.signs.map((s) => s.latest)]), [latest, vitals.signs]);
  const hasValues = values !== null && values.length > 0;
  // The scene's zones in alert, by level: from the alert store, like the list and the banner.
  const zones = useMemo(
    () => (scene?.indicatorKey ? zonesInAlert(active, scene.indicatorKey) : { warningOrWorse: 0, critical: 0 }),
    [active, scene],
  );

  const totalSeries = useMemo(
    () => indicator.summary.map((p): [number, number] => [Date.parse(p.ts), p.sumNumerator]),
    [indicator.summary],
  );
  const alertSeries = useSampledSeries(alerts.loaded ? alertCounts.active : null);
  const zonesWarningSeries = useSampledSeries(alerts.loaded && scene ? zones.warningOrWorse : null);
  const zonesCriticalSeries = useSampledSeries(alerts.loaded && scene ? zones.critical : null);
  const criticalAlerts = alertCounts.critical;

  const nameOf = useMemo(() => areaNameLookup([...segments, ...districts], lang), [segments, districts, lang]);
  // The cameras' area by name (null: the city); one the wall does not know by name is left unnamed.
  const camerasAreaName = sceneCameras?.areaId ? nameOf(sceneCameras.areaId, '') : null;
  // The resting view: the scene's zones, or the districts without a scene.
  const homeBounds = useMemo(() => {
    if (shown?.bounds) return shown.bounds;
    const focusArea = districts.find((d) => d.id === shown?.focusAreaId);
    return boundsOfAreas(scene ? segments : focusArea ? [focusArea] : districts);
  }, [shown, scene, segments, districts]);

  // The zone whose panel is open (from the map, the list or an alert); null: the wall as it is.
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const selected = useMemo(() => segments.find((s) => s.id === selectedId) ?? null, [segments, selectedId]);
  const closeSegment = useCallback(() => setSelectedId(null), [setSelectedId]);
  const selectSegment = useCallback((segment: AreaView) => setSelectedId(segment.id), [setSelectedId]);
  const selectAlertArea = useCallback(
    (alert: WallAlert) => {
      if (segments.some((s) => s.id === alert.areaId)) setSelectedId(alert.areaId);
    },
    [segments, setSelectedId],
  );

  // Browser tests wait for the zones to be on the map.
  const [renderedSegments, setRenderedSegments] = useState(0);
  const onSegmentsRendered = useCallback((count: number) => setRenderedSegments(count), []);

  // Acknowledging is for admins, commanders and operators only (never a display).
  const mayAck = canAcknowledge(user);
  const [pendingAcks, setPendingAcks] = useState<ReadonlySet<string>>(new Set());
  const [ackError, setAckError] = useState<ApiError | null>(null);
  const { upsert } = alerts;
  const onAcknowledge = useCallback(
    (alert: WallAlert, comment: string) => {
      setPendingAcks((s) => new Set(s).add(alert.id));
      acknowledgeAlert(alert.id, comment)
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

  // Silencing from the wall: this alert's indicator in this area, for an hour, with a reason.
  const maySilence = canSilence(user);
  const [silencing, setSilencing] = useState<ReadonlySet<string>>(new Set());
  const onSilence = useCallback(
    (alert: WallAlert, reason: string) => {
      setSilencing((s) => new Set(s).add(alert.id));
      createSilence({
        indicatorKey: alert.indicatorKey,
        areaId: alert.areaId,
        endsAt: new Date(serverNow() + WALL_SILENCE_MS).toISOString(),
        reason,
      })
        // A silence changes no alert (coverage is decided when one is read): read this one again to show it silenced.
        .then(() => fetchAlert(alert.id))
        .then((updated) => {
          upsert(updated);
          setAckError(null);
        })
        .catch((error: unknown) => setAckError(error instanceof ApiError ? error : null))
        .finally(() =>
          setSilencing((s) => {
            const next = new Set(s);
            next.delete(alert.id);
            return next;
          }),
        );
    },
    [upsert],
  );

  // The scene's cameras and cases panel share one column (stacked when it has both).
  const camerasPanel = sceneCameras ? <SceneCamerasPanel spec={sceneCameras} areaName={camerasAreaName} /> : null;
  const casesPanel = sceneCases ? (
    <CasesPanel spec={sceneCases} focusAreaId={shown?.focusAreaId ?? null} districts={districts} cityName={config.city.name} live={live} />
  ) : null;
  const sidePanel =
    camerasPanel && casesPanel ? (
      <div className="wall-side-stack">
        {camerasPanel}
        {casesPanel}
      </div>
    ) : (
      (camerasPanel ?? casesPanel)
    );

  const dash = '—';
  // "of 21 segments" under both zone counts.
  const zonesNote =
    wording && hasValues ? t('kpiOfTotal', { n: values.length, unit: wording.zoneUnit || wording.zones, zones: wording.zones }) : undefined;
  const eventTitle = wording
    ? wording.title
    : shown
      ? lang === 'en' && shown.nameEn
        ? shown.nameEn
        : shown.name
      : choice.kind === 'unknown'
        ? t('sceneUnknownTitle', { key: choice.key })
        : t('sceneNoneTitle');

  return (
    <div
      className="wall"
      data-live-status={liveStatus}
      data-lang={lang}
      data-scene={shown?.key ?? choice.kind}
      data-scene-kind={shown?.kind}
    >
      <WallHeader
        eventTitle={eventTitle}
        live={scene !== null}
        demo={config.demo}
        userName={user?.displayName ?? null}
        feedIssues={feedIssues}
      />

      <div className="wall-kpis">
        {wording ? (
          <>
            <KpiTile
              id="total"
              label={wording.totalLabel}
              value={hasValues ? formatInteger(figures.total, lang) : dash}
              unit={wording.totalUnit}
              tone="neutral"
              series={totalSeries}
              seriesColor={ACCENT}
            />
            <KpiTile
              id="warning-zones"
              label={t('kpiWarningZones', { zones: wording.zones, Zones: capitalise(wording.zones) })}
              value={alerts.loaded ? String(zones.warningOrWorse) : dash}
              unit={wording.zoneUnit}
              note={zonesNote}
              tone={zones.critical > 0 ? 'critical' : zones.warningOrWorse > 0 ? 'warning' : 'normal'}
              series={zonesWarningSeries}
              seriesColor={LOAD_COLORS.warning}
            />
            <KpiTile
              id="critical-zones"
              label={t('kpiCriticalZones', { zones: wording.zones, Zones: capitalise(wording.zones) })}
              value={alerts.loaded ? String(zones.critical) : dash}
              unit={wording.zoneUnit}
              note={zonesNote}
              tone={zones.critical > 0 ? 'critical' : 'normal'}
              series={zonesCriticalSeries}
              seriesColor={LOAD_COLORS.critical}
            />
          </>
        ) : shown ? (
          shown.kpis.map((kpi, i) => <SceneKpiTile key={`${kpi.indicatorKey}:${kpi.areaId}`} kpi={kpi} live={live} index={i} />)
        ) : (
          <SceneNotice choice={choice.kind === 'unknown' ? choice : { kind: 'none' }} scenes={config.scenes} />
        )}
        <KpiTile
          id="open-alerts"
          label={t('kpiOpenAlerts')}
          value={alerts.loaded ? String(alertCounts.active) : dash}
          unit={t('kpiOpenAlertsUnit')}
          note={criticalAlerts > 0 ? t('kpiCriticalAlerts', { n: criticalAlerts }) : undefined}
          tone={criticalAlerts > 0 ? 'critical' : alertCounts.active > 0 ? 'warning' : 'normal'}
          series={alertSeries}
          seriesColor={criticalAlerts > 0 ? LOAD_COLORS.critical : LOAD_COLORS.warning}
        />
      </div>

      <main className={wording ? 'wall-main' : sidePanel ? 'wall-main wall-main--cameras' : 'wall-main wall-main--no-scene'}>
        {/* An event with cameras or cases shows them in place of the vital signs: its zones take the second column. */}
        {wording && sidePanel ? null : (
          <VitalSignsPanel
            signs={vitals.signs}
            hidden={vitals.hidden}
            loaded={vitals.loaded}
            alertLevels={alerts.levels}
            cityName={config.city.name}
            nameOf={nameOf}
          />
        )}
        {sidePanel}
        {wording ? (
          <SegmentList
            segments={segments}
            zones={wording.zones}
            valuesByArea={valuesByArea}
            thresholds={thresholds}
            nameOf={nameOf}
            onSelect={selectSegment}
          />
        ) : null}

        <section className="map-panel">
          <MapView
            basemapStyleUrl={config.basemapStyleUrl}
            initialBounds={config.city.bounds}
            frameProps={{
              'data-segments': renderedSegments || undefined,
              'data-districts': districts.length || undefined,
              'data-scene-layers': layerProbe?.layerIds.join(','),
              'data-scene-rendered': layerProbe ? JSON.stringify(layerProbe.rendered) : undefined,
              'data-map-bounds': layerProbe?.bounds.join(','),
              'data-scene-layers-under-labels': layerProbe ? String(layerProbe.underLabels) : undefined,
            }}
            layers={
              <>
                <AreaBoundariesLayer onUnauthorized={handleUnauthorized} />
                <DistrictsLayer districts={districts} fillBeforeId={AREA_BOUNDARY_BOTTOM_LAYER_ID} />
                <SceneLayers layers={sceneLayers.layers} beforeId={STREET_LABEL_LAYER_ID} live={live} onProbe={setLayerProbe} />
                {scene ? (
                  <CourseSegmentsLayer
                    segments={segments}
                    values={values}
                    thresholds={thresholds}
                    onRendered={onSegmentsRendered}
                    onSelect={setSelectedId}
                  />
                ) : null}
                <ContextLabelsLayer lang={lang} zones={scene ? segments : undefined} />
                <CameraDirector home={homeBounds} focus={focus} returnAfterMs={FOCUS_MS} />
              </>
            }
          >
            <div className="map-overlay-top">
              {rotationBar}
              <CriticalBanner story={alerts.story} flashing={alerts.flashing} nameOf={nameOf} indicator={indicatorNames} />
              <StatusBanners
                status={liveStatus}
                newestTs={figures.newestTs}
                loaded={scene !== null && (latest !== null || indicator.error !== null)}
              />
              {selected && scene ? (
                <SegmentDetail
                  key={selected.id}
                  segment={selected}
                  indicatorKey={scene.indicatorKey ?? ''}
                  value={valuesByArea.get(selected.id)}
                  thresholds={thresholds}
                  nameOf={nameOf}
                  onClose={closeSegment}
                  trendChart={segmentTrendChart}
                />
              ) : null}
            </div>
            <div className="map-legends">
              <SceneLayersLegend layers={sceneLayers.layers} missing={sceneLayers.missing} />
              {wording ? <MapLegend thresholds={thresholds} zones={wording.zones} /> : null}
            </div>
            <DataAsOf newestTs={newestOnWall} status={liveStatus} />
            {renderedSegments > 0 ? <span data-testid="segments-ready" data-count={renderedSegments} hidden /> : null}
          </MapView>
        </section>

        <AlertList
          active={active}
          resolved={alerts.resolved}
          freshIds={alerts.freshIds}
          nameOf={nameOf}
          indicator={indicatorNames}
          onAcknowledge={mayAck ? onAcknowledge : undefined}
          pendingIds={pendingAcks}
          onSilence={maySilence ? onSilence : undefined}
          silencingIds={silencing}
          onSelectArea={scene ? selectAlertArea : undefined}
          mayFileCase={canFileFromAlert(user)}
        >
          <ProblemMessage
            error={ackError ?? alerts.error ?? indicator.error ?? vitals.error ?? zonesError ?? dataError ?? catalogError}
            className="panel-problem"
          />
        </AlertList>
      </main>
    </div>
  );
}
