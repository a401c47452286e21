import { Injectable } from '@nestjs/common';
import { CASE_TILE_LAYER } from '@cityops/cases';
import {
  CASES_LAYER_KEY,
  LAYER_THEMES,
  LIVE_LAYER_MAX_ENTITIES,
  layerThemeOf,
  liveLayerChannel,
  liveLayerKey,
  type CasesLayerView,
  type LayerTheme,
  type LayerView,
  type LiveLayerView,
} from '@cityops/contracts';
import { EntityService, LiveLayerService, ObservationQueryService } from '@cityops/feeds';
import { SceneService } from '@cityops/scenes';
import { LayerFeeds } from './layer-feeds.service';
import { AREA_LEVEL_LAYERS, ENTITY_MINZOOM, entityLayerKey, HEAT_MINZOOM, heatLayerKey, LAYER_MAXZOOM } from './layer-keys';

type VectorLayer = Extract<LayerView, { kind: 'vector' }>;

/** A feed counts as located for the heat layers when it had a located reading in this long. */
const HEAT_LOOKBACK_MS = 24 * 3600 * 1000;

const themeFields = (theme: LayerTheme) => {
  const t = LAYER_THEMES.find((entry) => entry.key === theme) ?? LAYER_THEMES[LAYER_THEMES.length - 1];
  return { theme: t.key, themeName: t.name, themeNameEn: t.nameEn };
};

const tilesOf = (key: string) => `/api/tiles/${encodeURIComponent(key)}/{z}/{x}/{y}.mvt`;

/** Every area, as before the per-level layers (the wall's map draws this one). */
const AREAS_LAYER: VectorLayer = {
  key: 'areas',
  name: '行政区划与网格',
  nameEn: 'Administrative areas and grids',
  kind: 'vector',
  ...themeFields('base'),
  tiles: tilesOf('areas'),
  sourceLayer: 'areas',
  minzoom: 0,
  maxzoom: LAYER_MAXZOOM,
  featuresUrl: '/api/layers/areas/features?bbox={bbox}',
  legend: { symbol: 'line', color: '#5b8def', property: 'level', unit: null },
};

const AREA_LEVEL_VIEWS: VectorLayer[] = AREA_LEVEL_LAYERS.map(({ level, minzoom, name, nameEn }) => ({
  key: `areas-${level}`,
  name,
  nameEn,
  kind: 'vector',
  ...themeFields('base'),
  tiles: tilesOf(`areas-${level}`),
  sourceLayer: `areas-${level}`,
  minzoom,
  maxzoom: LAYER_MAXZOOM,
  featuresUrl: `/api/layers/areas/features?bbox={bbox}&level=${level}`,
  legend: { symbol: 'line', color: '#5b8def', property: null, unit: null },
}));

/**
 * Open cases as points in vector tiles, renewed on `case.changed`: one layer, not one per feed,
 * since cases are the platform's own records (their sight is the caller's, so the layer is listed
 * only to those who may read cases: see `list`).
 */
const CASES_LAYER: CasesLayerView = {
  key: CASES_LAYER_KEY,
  name: '城市管理案件',
  nameEn: 'City management cases',
  kind: 'cases',
  ...themeFields('urban_management'),
  tiles: `/api/tiles/${CASES_LAYER_KEY}/{z}/{x}/{y}.mvt`,
  sourceLayer: CASE_TILE_LAYER,
  minzoom: 0,
  maxzoom: LAYER_MAXZOOM,
  url: '/api/cases/map',
  channel: 'cases',
  legend: { symbol: 'circle', color: '#f5a623' },
};

/**
 * The map's catalog: the area layers, a layer for every entity feed that holds located entities
 * (live GeoJSON when it holds at most LIVE_LAYER_MAX_ENTITIES, else vector tiles), a live layer
 * for every reading feed whose current located sensors are that few, and a heat layer for every metric of a feed with located readings (no code per feed: a feed
 * registered in the catalog appears here once it has data with a place), and the zone sets.
 * Listed theme by theme in LAYER_THEMES order.
 */
@Injectable()
export class LayerCatalog {
  constructor(
    private readonly feeds: LayerFeeds,
    private readonly entities: EntityService,
    private readonly observations: ObservationQueryService,
    private readonly scenes: SceneService,
    private readonly liveLayers: LiveLayerService,
  ) {}

  /** `withCases`: the caller may read cases (`GET /api/cases/map`), so the cases layer is listed. */
  async list(withCases = false): Promise<LayerView[]> {
    const feeds = await this.feeds.all();
    const entityFeeds = feeds.filter((f) => f.kind === 'entity');
    const readingFeeds = feeds.filter((f) => f.kind !== 'entity' && f.metrics.length > 0);
    const [locatedEntities, locatedReadings, zoneSets, sizes] = await Promise.all([
      this.entities.locatedFeeds(entityFeeds.map((f) => f.key)),
      this.observations.locatedFeeds(
        readingFeeds.map((f) => f.key),
        new Date(Date.now() - HEAT_LOOKBACK_MS),
      ),
      this.scenes.zoneSetLayers(),
      this.liveLayers.sizes(feeds),
    ]);
    // A feed with few located entities is a live layer (GeoJSON kept current by socket deltas); an
    // entity feed with more stays vector tiles.
    const small = (key: string) => {
      const n = sizes.get(key) ?? 0;
      return n > 0 && n <= LIVE_LAYER_MAX_ENTITIES;
    };
    const liveLayers: LiveLayerView[] = feeds
      .filter((f) => small(f.key))
      .map((f) => ({
        key: liveLayerKey(f.key),
        name: f.name,
        nameEn: f.nameEn,
        kind: 'live',
        feed: f.key,
        feedKind: f.kind,
        ...themeFields(layerThemeOf(f.theme)),
        url: `/api/feeds/${encodeURIComponent(f.key)}/live`,
        channel: liveLayerChannel(f.key),
        entities: sizes.get(f.key) ?? 0,
        metrics: f.metrics.map((m) => ({ key: m.key, name: m.name ?? null, unit: m.unit ?? null, min: m.min ?? null, max: m.max ?? null })),
        legend: { symbol: 'circle', color: '#19d3a2' },
      }));
    const entityLayers: VectorLayer[] = entityFeeds
      .filter((f) => locatedEntities.includes(f.key) && !small(f.key))
      .map((f) => ({
        key: entityLayerKey(f.key),
        name: f.name,
        nameEn: f.nameEn,
        kind: 'vector',
        ...themeFields(layerThemeOf(f.theme)),
        tiles: tilesOf(entityLayerKey(f.key)),
        sourceLayer: entityLayerKey(f.key),
        minzoom: ENTITY_MINZOOM,
        maxzoom: LAYER_MAXZOOM,
        featuresUrl: null,
        legend: { symbol: 'circle', color: '#f5a623', property: 'status', unit: null },
      }));
    const heatLayers: VectorLayer[] = readingFeeds
      .filter((f) => locatedReadings.includes(f.key))
      .flatMap((f) =>
        f.metrics.map((m) => ({
          key: heatLayerKey(f.key, m.key),
          name: `${f.name} · ${m.name ?? m.key}`,
          nameEn: `${f.nameEn ?? f.name} · ${m.key}`,
          kind: 'vector' as const,
          ...themeFields(layerThemeOf(f.theme)),
          tiles: tilesOf(heatLayerKey(f.key, m.key)),
          sourceLayer: 'heat',
          minzoom: HEAT_MINZOOM,
          maxzoom: LAYER_MAXZOOM,
          featuresUrl: null,
          legend: { symbol: 'heatmap' as const, color: '#e4572e', property: 'count', unit: m.unit ?? null },
        })),
      );
    const zoneLayers: LayerView[] = zoneSets.map((l) => ({ ...l, ...themeFields('major_events') }));
    const all: LayerView[] = [
      AREAS_LAYER,
      ...AREA_LEVEL_VIEWS,
      ...entityLayers,
      ...liveLayers,
      ...heatLayers,
      ...zoneLayers,
      ...(withCases ? [CASES_LAYER] : []),
    ];
    const rank = (l: LayerView) => LAYER_THEMES.findIndex((t) => t.key === l.theme);
    // A stable sort: within a theme, areas, then entities, live layers, heat and zone sets, each by key.
    return all
      .map((l, i) => ({ l, i }))
      .sort((a, b) => rank(a.l) - rank(b.l) || a.i - b.i)
      .map(({ l }) => l);
  }
}
