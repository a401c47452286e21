import { LngLat } from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { indicatorChannel, type AreaLevel, type IndicatorValuesEvent, type SearchHit } from '@cityops/contracts';
import { handleUnauthorized } from '../auth/session';
import { useI18n } from '../i18n';
import { LangSwitch } from '../LangSwitch';
import { useLiveAlerts } from '../live/useLiveAlerts';
import { useLiveClient } from '../live/useLiveClient';
import { useLiveIndicator } from '../live/useLiveIndicator';
import { boundsOfAreas, type Bounds } from '../map/geo';
import { CaseCatalogLayer } from '../map/layers/CaseCatalogLayer';
import { catalogLayerIds } from '../map/layers/catalog-layer.style';
import { CatalogLayer } from '../map/layers/CatalogLayer';
import { CHOROPLETH_ALERT_ID, CHOROPLETH_BASE_LAYER_IDS } from '../map/layers/choropleth-layer.style';
import { ChoroplethLayer, type AreaPaint } from '../map/layers/ChoroplethLayer';
import { LiveLayer } from '../map/layers/LiveLayer';
import { MapView } from '../map/MapView';
import { ProblemMessage } from '../ProblemMessage';
import { CasePopup } from './CasePopup';
import { BAND_COLORS, bandOf, rampColor, rampPositions } from './choropleth-colors';
import { ChoroplethPanel } from './ChoroplethPanel';
import type { Bbox } from './export-features';
import { ExportControl } from './ExportControl';
import { FeaturePopup } from './FeaturePopup';
import { LayerPanel } from './LayerPanel';
import type { MapTarget } from './map-target';
import { decodeMapState, encodeMapState, type MapCamera, type MapUrlState } from './map-url-state';
import { MapBridge, MapPopup, type GoTo, type MapProbe } from './MapBridge';
import { describeAlertLevels, standingAlertLevels } from './replay';
import { ReplayControl, type ReplayFrame } from './ReplayControl';
import { SearchBox } from './SearchBox';
import { useDrill, useLatestValues, useLevelIds, useMapBasics } from './useMapData';

const CHILD_LEVEL: Partial<Record<AreaLevel, AreaLevel>> = { city: 'district', district: 'street', street: 'community', community: 'grid' };
const PITCH_3D = 55;

const bboxOf = (bounds: Bounds): Bbox => [bounds[0][0], bounds[0][1], bounds[1][0], bounds[1][1]];

/** `/map`: the analyst's one map of the city. */
/** The map announces nothing: the wall does. */
const IGNORE_ANNOUNCEMENTS = () => undefined;

export function AnalystMapPage() {
  const { t } = useI18n();
  const basics = useMapBasics();
  const [state, setState] = useState<MapUrlState>(() => decodeMapState(window.location.search));
  const [camera, setCamera] = useState<{ camera: MapCamera; bounds: Bounds } | null>(null);
  const [probe, setProbe] = useState<MapProbe>({ layerIds: [], rendered: {} });
  const [popup, setPopup] = useState<{ target: MapTarget; at: LngLat } | null>(null);
  const [replay, setReplay] = useState<ReplayFrame | null>(null);
  /** Counts the user's drill steps: only they move the map to an area (a reload keeps the URL's camera). */
  const [drillSeq, setDrillSeq] = useState(0);
  const [goTo, setGoTo] = useState<GoTo | null>(null);
  const [pitch, setPitch] = useState<{ value: number; seq: number } | null>(null);

  // The view lives in the URL: a reload or a shared link opens the same map.
  useEffect(() => {
    const search = encodeMapState(state, window.location.search);
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
  }, [state]);

  const polled = useLatestValues(basics.indicators);
  // The choropleth's indicator comes live over the socket (snapshot, then `indicator.values` events); the others are polled.
  // `alerts` for the standing alerts outlined on the map; the indicator's channel is added when one is chosen.
  const live = useLiveClient(['alerts']);
  useEffect(() => {
    if (live && state.indicator) live.addChannels([indicatorChannel(state.indicator)]);
  }, [live, state.indicator]);
  const liveIndicator = useLiveIndicator(live, state.indicator);
  // The alerts standing now on the choropleth's indicator, outlined on its areas (the replay shows those of its instant).
  const liveAlerts = useLiveAlerts(live, IGNORE_ANNOUNCEMENTS);
  const standing = useMemo(
    () => standingAlertLevels(liveAlerts.alerts.filter((a) => a.indicatorKey === state.indicator)),
    [liveAlerts.alerts, state.indicator],
  );
  const latest = useMemo(() => {
    const current = liveIndicator.latest;
    if (!current || current.indicatorKey !== state.indicator) return polled;
    const merged = new Map(polled);
    const before = polled.get(current.indicatorKey);
    if (!before || Date.parse(current.computedAt) >= Date.parse(before.computedAt)) merged.set(current.indicatorKey, current);
    return merged;
  }, [polled, liveIndicator.latest, state.indicator]);
  const drill = useDrill(state.area, basics.city);
  const drilledArea = state.area !== null ? (drill.path.find((a) => a.id === state.area) ?? null) : null;
  const focus = drilledArea ?? basics.city;

  // Drilled in: the children of the area (a grid shows itself); else every area of the chosen level.
  const childLevel = drilledArea ? CHILD_LEVEL[drilledArea.level] : undefined;
  const shownLevel: string = drilledArea ? (drill.children[0]?.level ?? childLevel ?? drilledArea.level) : state.level;
  const only = useMemo(
    () => (drilledArea ? (drill.children.length > 0 ? drill.children.map((c) => c.id) : [drilledArea.id]) : null),
    [drilledArea, drill.children],
  );
  const levelIds = useLevelIds(state.level, !drilledArea && state.indicator !== null);

  // A drill step fits the map to the area (or back to the city) once its boundary is known.
  const fitArea = state.area === null ? basics.city : drilledArea;
  const fit = useMemo(() => {
    const bounds = drillSeq > 0 && fitArea ? boundsOfAreas([fitArea]) : null;
    return bounds ? { bounds, seq: drillSeq } : null;
  }, [drillSeq, fitArea]);

  const definition = basics.indicators.find((d) => d.key === state.indicator) ?? null;
  const values: ReadonlyMap<number, number> = useMemo(() => {
    if (replay) return replay.values;
    const event: IndicatorValuesEvent | undefined = state.indicator ? latest.get(state.indicator) : undefined;
    return new Map((event?.values ?? []).map((v) => [v.areaId, v.value]));
  }, [replay, latest, state.indicator]);

  const alertLevels = replay ? replay.alerts : standing;
  const { paints, ramp, sum } = useMemo(() => {
    const shown = only ? new Set(only) : levelIds;
    const entries = [...values].filter(([id]) => (shown ? shown.has(id) : true));
    const positions = rampPositions(entries.map(([, v]) => v));
    const out = new Map<number, AreaPaint>();
    if (definition) {
      for (const [id, value] of entries) {
        const color = definition.thresholds
          ? BAND_COLORS[bandOf(value, definition.thresholds.levels)]
          : rampColor(positions.position(value));
        out.set(id, { color, height: positions.position(value), alert: alertLevels.get(id) ?? 0 });
      }
      for (const [id, level] of alertLevels) if (!out.has(id)) out.set(id, { color: BAND_COLORS[-1], height: 0, alert: level });
    }
    return {
      paints: out,
      ramp: entries.length > 0 ? { min: positions.min, max: positions.max } : null,
      sum: entries.reduce((s, [, v]) => s + v, 0),
    };
  }, [values, only, levelIds, definition, alertLevels]);

  const catalog = basics.catalog ?? [];
  const visibleLayers = state.layers.flatMap((v) => {
    const layer = catalog.find((l) => l.key === v.key);
    return layer ? [{ layer, opacity: v.opacity }] : [];
  });
  // The alert outlines on top: a boundary layer switched on later must not draw over them.
  const order = [...CHOROPLETH_BASE_LAYER_IDS, ...visibleLayers.flatMap(({ layer }) => catalogLayerIds(layer)), CHOROPLETH_ALERT_ID];

  const onCamera = useCallback((next: MapCamera, bounds: Bounds) => {
    setCamera({ camera: next, bounds });
    setState((s) => ({ ...s, camera: next }));
  }, []);
  const onPick = useCallback((target: MapTarget, at: LngLat) => {
    setPopup({ target, at });
    if (target.kind === 'area' && target.level !== 'grid' && CHILD_LEVEL[target.level as AreaLevel]) {
      setState((s) => ({ ...s, area: target.id }));
      setDrillSeq((n) => n + 1);
    }
  }, []);
  const onSearchHit = (hit: SearchHit) => {
    const seq = (goTo?.seq ?? 0) + 1;
    if (hit.kind === 'area') {
      if (hit.bbox) {
        const [w, s, e, n] = hit.bbox;
        setGoTo({
          bounds: [
            [w, s],
            [e, n],
          ],
          seq,
        });
      }
      const at = hit.center ?? (hit.bbox ? [(hit.bbox[0] + hit.bbox[2]) / 2, (hit.bbox[1] + hit.bbox[3]) / 2] : null);
      if (at)
        setPopup({ target: { kind: 'area', id: hit.id, name: hit.name, code: hit.code, level: hit.level }, at: new LngLat(at[0], at[1]) });
    } else {
      setGoTo({ center: hit.center, zoom: 16, seq });
      setPopup({
        target: { kind: 'entity', feed: hit.feed, id: hit.id, name: hit.name, status: null, entityKind: null, ts: null },
        at: new LngLat(hit.center[0], hit.center[1]),
      });
    }
  };
  const toggle = (key: string, on: boolean) =>
    setState((s) => ({
      ...s,
      layers: on ? [...s.layers.filter((l) => l.key !== key), { key, opacity: 1 }] : s.layers.filter((l) => l.key !== key),
    }));
  const setOpacity = (key: string, opacity: number) =>
    setState((s) => ({ ...s, layers: s.layers.map((l) => (l.key === key ? { ...l, opacity } : l)) }));
  const move = (key: string, direction: 'up' | 'down') =>
    setState((s) => {
      const i = s.layers.findIndex((l) => l.key === key);
      const j = direction === 'up' ? i + 1 : i - 1;
      if (i < 0 || j < 0 || j >= s.layers.length) return s;
      const layers = [...s.layers];
      [layers[i], layers[j]] = [layers[j], layers[i]];
      return { ...s, layers };
    });

  if (!basics.config || !basics.city) {
    return (
      <main className="simple-page" data-testid="map-loading">
        <p className="dim">{t('loading')}</p>
        <ProblemMessage error={basics.error} />
      </main>
    );
  }
  const initialBounds = boundsOfAreas(basics.city.geometry ? [basics.city] : []) ?? basics.config.city.bounds;
  const pitched = (camera?.camera.pitch ?? state.camera?.pitch ?? 0) > 5;
  const zoom = camera?.camera.zoom ?? state.camera?.zoom ?? 10;

  return (
    <div
      className="analyst-map"
      data-testid="analyst-map"
      data-map-layers={probe.layerIds.join(',')}
      data-rendered={JSON.stringify(probe.rendered)}
      data-choropleth-level={shownLevel}
      data-choropleth-areas={paints.size}
      data-choropleth-alerts={[...alertLevels.keys()].sort((a, b) => a - b).join(',')}
      data-choropleth-alert-levels={describeAlertLevels(alertLevels)}
      data-choropleth-sum={Number(sum.toFixed(3))}
      data-drilled={state.area ?? ''}
      data-pitched={pitched ? 'true' : 'false'}
      data-replay={replay ? 'on' : 'off'}
    >
      <MapView
        basemapStyleUrl={basics.config.basemapStyleUrl}
        initialBounds={initialBounds}
        interactive
        frameProps={{ 'data-testid': 'analyst-map-frame' }}
        layers={
          <>
            <ChoroplethLayer level={shownLevel} paints={paints} only={only} extrude={pitched && definition !== null} />
            {visibleLayers.map(({ layer, opacity }) =>
              layer.kind === 'live' ? (
                <LiveLayer key={layer.key} layer={layer} opacity={opacity} live={live} />
              ) : layer.kind === 'cases' ? (
                <CaseCatalogLayer key={layer.key} layer={layer} opacity={opacity} live={live} onUnauthorized={handleUnauthorized} />
              ) : (
                <CatalogLayer key={layer.key} layer={layer} opacity={opacity} onUnauthorized={handleUnauthorized} />
              ),
            )}
            <MapBridge
              initialCamera={state.camera}
              initialFit={initialBounds}
              order={order}
              revision={shownLevel}
              catalog={catalog}
              onCamera={onCamera}
              onPick={onPick}
              onProbe={setProbe}
              fit={fit}
              goTo={goTo}
              pitch={pitch}
            />
            {popup ? (
              <MapPopup at={popup.at} onClose={() => setPopup(null)}>
                {popup.target.kind === 'case' ? (
                  <CasePopup code={popup.target.code} />
                ) : (
                  <FeaturePopup target={popup.target} indicators={basics.indicators} latest={latest} indicatorKey={state.indicator} />
                )}
              </MapPopup>
            ) : null}
          </>
        }
      />
      <aside className="map-panel" data-testid="map-panel">
        <header className="map-panel-header">
          <div className="map-panel-title">
            <a href="/">{t('appTitle')}</a>
            <h1>{t('mapTitle')}</h1>
          </div>
          <button
            type="button"
            className="quiet-button"
            data-testid="toggle-3d"
            title={t('map3dLabel')}
            onClick={() => setPitch((p) => ({ value: pitched ? 0 : PITCH_3D, seq: (p?.seq ?? 0) + 1 }))}
          >
            {pitched ? t('map2d') : t('map3d')}
          </button>
          <LangSwitch />
        </header>
        <SearchBox onChoose={onSearchHit} />
        <ChoroplethPanel
          indicators={basics.indicators}
          indicatorKey={state.indicator}
          onIndicator={(indicator) => setState((s) => ({ ...s, indicator }))}
          level={state.level}
          shownLevel={shownLevel}
          onLevel={(level) => setState((s) => ({ ...s, level }))}
          path={drill.path}
          onDrill={(area) => {
            setPopup(null);
            setState((s) => ({ ...s, area }));
            setDrillSeq((n) => n + 1);
          }}
          latest={latest}
          focus={focus}
          ramp={definition && !definition.thresholds ? ramp : null}
        />
        <ReplayControl key={state.indicator ?? ''} indicatorKey={state.indicator} onFrame={setReplay} />
        <ExportControl layers={visibleLayers.map((v) => v.layer)} bbox={camera ? bboxOf(camera.bounds) : null} />
        <h2 className="map-panel-section">{t('mapLayers')}</h2>
        <LayerPanel catalog={basics.catalog} visible={state.layers} onToggle={toggle} onOpacity={setOpacity} onMove={move} zoom={zoom} />
      </aside>
    </div>
  );
}
