import { Injectable } from '@nestjs/common';
import {
  MAX_INT4,
  OGC_CONFORMANCE,
  OGC_CRS84,
  type AreaLevel,
  type OgcCollection,
  type OgcCollections,
  type OgcFeature,
  type OgcFeatureCollection,
  type OgcItemsQuery,
  type OgcLandingPage,
  type OgcLink,
} from '@cityops/contracts';
import { NotFoundError } from '@cityops/core';
import { EntityService, FeedCatalogService } from '@cityops/feeds';
import { type AreaExtent, type AreaFeatureFilter, AreaService, type ScopeRoots } from '@cityops/geo';
import { IndicatorService } from '@cityops/indicators';

const JSON_TYPE = 'application/json';
const GEOJSON_TYPE = 'application/geo+json';

/** The area levels served as collections, each with its title. Zones come per zone set. */
const AREA_LEVELS: { level: Exclude<AreaLevel, 'zone'>; title: string }[] = [
  { level: 'city', title: '市 City' },
  { level: 'district', title: '区 Districts' },
  { level: 'street', title: '街道 Streets' },
  { level: 'community', title: '社区 Communities' },
  { level: 'grid', title: '网格 Grids' },
];

/** Where a collection's features come from. */
type Source =
  | { kind: 'areas'; level: AreaLevel }
  | { kind: 'zones'; zoneSet: string }
  | { kind: 'feed'; feedKey: string }
  | { kind: 'indicator'; indicatorKey: string };

/** An indicator's latest value in one area, as a feature's properties add it. */
interface LatestValue {
  value: number;
  numerator: number | null;
  denominator: number | null;
  ts: string;
}

interface CollectionEntry {
  id: string;
  title: string;
  description: string;
  source: Source;
}

/**
 * OGC API – Features (Part 1: core, GeoJSON) over what the hub holds: the areas of each level, each
 * zone set's zones and each entity feed's located entities, so GIS clients (QGIS, GDAL) read them.
 * Links are absolute, built on the URL the client called (`base`, e.g. `https://host/api/ogc`).
 */
@Injectable()
export class OgcService {
  constructor(
    private readonly areas: AreaService,
    private readonly feeds: FeedCatalogService,
    private readonly entities: EntityService,
    private readonly indicators: IndicatorService,
  ) {}

  landingPage(base: string): OgcLandingPage {
    const root = base.replace(/\/ogc$/, '');
    return {
      title: 'cityops OGC API – Features',
      description: 'Areas by level, event zones and entity feeds of the city operations hub, as GeoJSON.',
      links: [
        { href: base, rel: 'self', type: JSON_TYPE, title: 'This document' },
        {
          href: `${root}/docs-json`,
          rel: 'service-desc',
          type: 'application/vnd.oai.openapi+json;version=3.0',
          title: 'The API definition',
        },
        { href: `${root}/docs`, rel: 'service-doc', type: 'text/html', title: 'The API documentation' },
        { href: `${base}/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'Conformance classes implemented' },
        { href: `${base}/collections`, rel: 'data', type: JSON_TYPE, title: 'The collections' },
      ],
    };
  }

  conformance(): { conformsTo: string[] } {
    return { conformsTo: [...OGC_CONFORMANCE] };
  }

  /** Every collection; extents are those of the whole collection, whoever asks (the catalog is not scoped). */
  async collections(base: string): Promise<OgcCollections> {
    const [entries, extents] = await Promise.all([this.entries(), this.areas.extents()]);
    return {
      links: [{ href: `${base}/collections`, rel: 'self', type: JSON_TYPE, title: 'The collections' }],
      collections: entries.map((e) => this.describe(base, e, extents)),
    };
  }

  async collection(base: string, id: string): Promise<OgcCollection> {
    const entry = await this.entry(id);
    return this.describe(base, entry, await this.areas.extents());
  }

  /** A page of a collection's features in the caller's scope, with links to the pages beside it. */
  async items(base: string, id: string, query: OgcItemsQuery, scope: ScopeRoots): Promise<OgcFeatureCollection> {
    const { source } = await this.entry(id);
    const { limit, offset, bbox, datetime } = query;
    let page: { matched: number; features: OgcFeature[] };
    if (source.kind === 'feed') {
      page = await this.entities.featurePage(source.feedKey, { bbox, start: datetime?.start, end: datetime?.end }, limit, offset, scope);
    } else if (source.kind === 'indicator') {
      const latest = await this.latestValues(source.indicatorKey, scope, datetime);
      const areas = await this.areas.featurePage({ ids: [...latest.keys()], bbox }, limit, offset, scope);
      page = { matched: areas.matched, features: areas.features.map((f) => withValue(f, latest)) };
    } else {
      // Areas and zones have no time: `datetime` does not filter them.
      page = await this.areas.featurePage({ ...areaFilter(source), bbox }, limit, offset, scope);
    }
    const href = `${base}/collections/${encodeURIComponent(id)}/items`;
    const at = (from: number) => `${href}?${pageQuery(query, from)}`;
    const links: OgcLink[] = [
      { href: at(offset), rel: 'self', type: GEOJSON_TYPE, title: 'This page' },
      { href: `${base}/collections/${encodeURIComponent(id)}`, rel: 'collection', type: JSON_TYPE, title: 'The collection' },
    ];
    if (offset + page.features.length < page.matched)
      links.push({ href: at(offset + limit), rel: 'next', type: GEOJSON_TYPE, title: 'Next page' });
    if (offset > 0) links.push({ href: at(Math.max(0, offset - limit)), rel: 'prev', type: GEOJSON_TYPE, title: 'Previous page' });
    return {
      type: 'FeatureCollection',
      features: page.features,
      links,
      numberMatched: page.matched,
      numberReturned: page.features.length,
      timeStamp: new Date().toISOString(),
    };
  }

  /** One feature; outside the caller's scope it is not found, exactly as one that does not exist. */
  async item(base: string, id: string, featureId: string, scope: ScopeRoots): Promise<OgcFeature> {
    const { source } = await this.entry(id);
    let feature: OgcFeature | null = null;
    if (source.kind === 'feed') feature = await this.entities.feature(source.feedKey, featureId, scope);
    else if (/^\d{1,10}$/.test(featureId) && Number(featureId) <= MAX_INT4) {
      const id = Number(featureId);
      if (source.kind === 'indicator') {
        const latest = await this.latestValues(source.indicatorKey, scope, undefined);
        const area = latest.has(id) ? await this.areas.feature(id, {}, scope) : null;
        feature = area && withValue(area, latest);
      } else {
        feature = await this.areas.feature(id, areaFilter(source), scope);
      }
    }
    if (!feature) throw new NotFoundError(`Feature ${featureId} of collection ${id}`);
    const collection = `${base}/collections/${encodeURIComponent(id)}`;
    return {
      ...feature,
      links: [
        { href: `${collection}/items/${encodeURIComponent(featureId)}`, rel: 'self', type: GEOJSON_TYPE, title: 'This feature' },
        { href: collection, rel: 'collection', type: JSON_TYPE, title: 'The collection' },
      ],
    };
  }

  /** Each area's latest value of the indicator in the scope, whose time lies in `datetime` when given. */
  private async latestValues(key: string, scope: ScopeRoots, datetime: OgcItemsQuery['datetime']): Promise<Map<number, LatestValue>> {
    const { values } = await this.indicators.latest(key, scope);
    const inTime = (ts: string) => {
      const t = Date.parse(ts);
      return (!datetime?.start || t >= datetime.start.getTime()) && (!datetime?.end || t <= datetime.end.getTime());
    };
    return new Map(
      values
        .filter((v) => inTime(v.ts))
        .map((v) => [v.areaId, { value: v.value, numerator: v.numerator, denominator: v.denominator, ts: v.ts }]),
    );
  }

  /** The collections: area levels, zone sets, entity feeds, then indicators. */
  private async entries(): Promise<CollectionEntry[]> {
    const [zoneSets, feeds, indicators] = await Promise.all([this.areas.zoneSets(), this.feeds.list(), this.indicators.list()]);
    return [
      ...AREA_LEVELS.map(({ level, title }) => ({
        id: `areas-${level}`,
        title,
        description: `The ${level} areas of the city: code, name, parent and counts.`,
        source: { kind: 'areas' as const, level },
      })),
      ...zoneSets.map((z) => ({
        id: `zones-${z.key}`,
        title: z.nameEn ? `${z.name} ${z.nameEn}` : z.name,
        description: z.description ?? `The zones of zone set ${z.key}.`,
        source: { kind: 'zones' as const, zoneSet: z.key },
      })),
      ...feeds
        .filter((f) => f.kind === 'entity')
        .map((f) => ({
          id: `feed-${f.key}`,
          title: f.nameEn ? `${f.name} ${f.nameEn}` : f.name,
          description: `${f.description ?? `Entities of feed ${f.key}`}: the latest state of each entity with a location; datetime filters by that state's time.`,
          source: { kind: 'feed' as const, feedKey: f.key },
        })),
      ...indicators.map((d) => ({
        id: `indicator-${d.key}`,
        title: d.nameEn ? `${d.name} ${d.nameEn}` : d.name,
        description: `The latest value of indicator ${d.key} in each area that has one; datetime filters by the value's time.`,
        source: { kind: 'indicator' as const, indicatorKey: d.key },
      })),
    ];
  }

  private async entry(id: string): Promise<CollectionEntry> {
    const found = (await this.entries()).find((e) => e.id === id);
    if (!found) throw new NotFoundError(`Collection ${id}`);
    return found;
  }

  private describe(base: string, entry: CollectionEntry, extents: AreaExtent[]): OgcCollection {
    const { source } = entry;
    const boxes =
      source.kind === 'feed' || source.kind === 'indicator'
        ? []
        : extents.filter((x) => (source.kind === 'areas' ? x.level === source.level : x.zoneSet === source.zoneSet)).map((x) => x.bbox);
    const href = `${base}/collections/${encodeURIComponent(entry.id)}`;
    return {
      id: entry.id,
      title: entry.title,
      description: entry.description,
      itemType: 'feature',
      crs: [OGC_CRS84],
      ...(boxes.length ? { extent: { spatial: { bbox: [unionBox(boxes)], crs: OGC_CRS84 } } } : {}),
      links: [
        { href, rel: 'self', type: JSON_TYPE, title: 'This collection' },
        { href: `${href}/items`, rel: 'items', type: GEOJSON_TYPE, title: 'Its features' },
      ],
    };
  }
}

function areaFilter(source: { kind: 'areas'; level: AreaLevel } | { kind: 'zones'; zoneSet: string }): AreaFeatureFilter {
  return source.kind === 'areas' ? { level: source.level } : { zoneSet: source.zoneSet };
}

/** An area feature with the indicator's latest value in it added to its properties. */
function withValue<F extends { id: number; properties: Record<string, unknown> }>(feature: F, latest: Map<number, LatestValue>): F {
  return { ...feature, properties: { ...feature.properties, ...latest.get(feature.id) } };
}

function unionBox(boxes: [number, number, number, number][]): [number, number, number, number] {
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

/** The query of a page link: the same filters and limit, another offset. */
function pageQuery(query: OgcItemsQuery, offset: number): string {
  const params = new URLSearchParams();
  if (query.f) params.set('f', query.f);
  if (query.bbox) params.set('bbox', query.bbox.join(','));
  if (query.datetime) {
    const { start, end } = query.datetime;
    const instant = start && end && start.getTime() === end.getTime();
    params.set('datetime', instant ? start.toISOString() : `${start?.toISOString() ?? '..'}/${end?.toISOString() ?? '..'}`);
  }
  params.set('limit', String(query.limit));
  params.set('offset', String(offset));
  return params.toString();
}
