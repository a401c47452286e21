import { Injectable, Logger } from '@nestjs/common';
import {
  MAX_INT4,
  type AreaLabelCollection,
  type AreaLabelsQuery,
  type AreaLevel,
  type AreaView,
  type ImportAreasRequest,
  type ImportAreasResult,
  type ListAreasQuery,
  type SearchHit,
} from '@cityops/contracts';
import { NotFoundError, ValidationError } from '@cityops/core';
import { AreaChanges } from './area-changes.service';
import type { ScopeRoots } from './area-scope';
import {
  type AreaExtent,
  type AreaFeature,
  type AreaFeatureFilter,
  AreaRepository,
  type AreaInput,
  type CityView,
  LEVEL_ORDER,
  type ZoneSetSummary,
} from './area.repository';
import { geometryShapeProblem } from './geojson-shape';

const PARENT_LEVEL: Partial<Record<AreaLevel, AreaLevel>> = {
  district: 'city',
  street: 'district',
  community: 'street',
  grid: 'community',
};

type Issue = { path: string; message: string };

@Injectable()
export class AreaService {
  private readonly logger = new Logger(AreaService.name);

  constructor(
    private readonly areas: AreaRepository,
    private readonly changes: AreaChanges,
  ) {}

  /** The areas of the scope that match the query (all of them for a null scope). */
  list(query: ListAreasQuery, scope: ScopeRoots = null): Promise<AreaView[]> {
    return this.areas.list(
      {
        level: query.level,
        parentId: query.parent,
        zoneSet: query.zoneSet,
        geometry: query.geometry,
        limit: query.limit,
      },
      scope,
    );
  }

  /** Areas whose name or code holds `text`, in the scope, as search hits. */
  async search(text: string, limit: number, scope: ScopeRoots = null): Promise<Extract<SearchHit, { kind: 'area' }>[]> {
    const rows = await this.areas.search(text, limit, scope);
    return rows.map((r) => ({
      kind: 'area',
      id: r.id,
      code: r.code,
      name: r.name,
      nameEn: r.name_en,
      level: r.level,
      center: r.lon !== null && r.lat !== null ? [r.lon, r.lat] : null,
      bbox: r.w !== null && r.s !== null && r.e !== null && r.n !== null ? [r.w, r.s, r.e, r.n] : null,
    }));
  }

  /** Where the names of the scope's areas that match go on a map. */
  labels(query: AreaLabelsQuery, scope: ScopeRoots = null): Promise<AreaLabelCollection> {
    return this.areas.labels({ level: query.level, zoneSet: query.zoneSet, limit: query.limit }, scope);
  }

  /** An area outside the scope is not found, exactly as one that does not exist (a 403 would confirm it exists). */
  async get(id: number, geometry: boolean, scope: ScopeRoots = null): Promise<AreaView> {
    const area = await this.areas.findById(id, geometry, scope);
    if (!area) throw new NotFoundError(`Area ${id}`);
    return area;
  }

  /** The zone sets with at least one zone in the scope (every zone set for a null scope). */
  async zoneSetsInScope(scope: ScopeRoots): Promise<string[]> {
    return scope ? this.areas.zoneSetsInScope(scope) : (await this.areas.zoneSets()).map((z) => z.key);
  }

  /**
   * Loads real boundaries. Every feature is checked first; one bad feature rejects the whole
   * import with each problem listed, so an import never leaves half a layer behind.
   */
  async import(request: ImportAreasRequest): Promise<ImportAreasResult> {
    const { level, codeField, nameField, parentCode, zoneSet } = request;
    const issues: Issue[] = [];
    const features = request.featureCollection.features;
    const inputs: AreaInput[] = [];
    const seen = new Set<string>();

    if (level === 'zone' && !zoneSet) issues.push({ path: 'zoneSet', message: 'zones need a zoneSet' });
    if (level !== 'zone' && zoneSet) issues.push({ path: 'zoneSet', message: 'only zones belong to a zone set' });

    features.forEach((feature, index) => {
      const path = `featureCollection.features[${index}]`;
      if (typeof feature !== 'object' || feature === null || (feature as { type?: unknown }).type !== 'Feature') {
        issues.push({ path, message: 'not a GeoJSON Feature' });
        return;
      }
      const { geometry, properties } = feature as { geometry?: unknown; properties?: Record<string, unknown> | null };
      const code = properties?.[codeField];
      const name = properties?.[nameField];
      if ((typeof code !== 'string' && typeof code !== 'number') || String(code).trim() === '') {
        issues.push({ path: `${path}.properties.${codeField}`, message: 'code is missing' });
        return;
      }
      if (typeof name !== 'string' || name.trim() === '') {
        issues.push({ path: `${path}.properties.${nameField}`, message: 'name is missing' });
        return;
      }
      const shape = geometryShapeProblem(geometry, ['Polygon', 'MultiPolygon']);
      if (shape) {
        issues.push({ path: `${path}.geometry`, message: shape });
        return;
      }
      const codeText = String(code).trim();
      if (seen.has(codeText)) issues.push({ path: `${path}.properties.${codeField}`, message: `code ${codeText} appears twice` });
      seen.add(codeText);
      // Counts are PostgreSQL integers: a number that is not a whole one in 0..2^31-1 is the sender's
      // mistake and said so; anything else (a string, null) is taken as absent, as before.
      const num = (key: string): number | null => {
        const v = properties?.[key];
        if (typeof v !== 'number') return null;
        if (Number.isInteger(v) && v >= 0 && v <= MAX_INT4) return v;
        issues.push({ path: `${path}.properties.${key}`, message: `${key} must be a whole number from 0 to ${MAX_INT4}` });
        return null;
      };
      inputs.push({
        code: codeText,
        name: name.trim(),
        nameEn: typeof properties?.name_en === 'string' ? properties.name_en : null,
        level,
        parentCode: level === 'zone' ? null : (parentCode ?? null),
        zoneSet: zoneSet ?? null,
        seq: num('seq'),
        capacity: num('capacity'),
        population: num('population'),
        households: num('households'),
        geometry,
      });
    });
    if (issues.length) throw new ValidationError(issues, 'Nothing was imported: fix the features listed and send the collection again.');

    const result = await this.areas.transaction(async (manager) => {
      const problems = await this.areas.geometryProblems(
        inputs.map((i) => i.geometry),
        manager,
      );
      const geometryIssues: Issue[] = [];
      problems.forEach((problem, i) => {
        if (problem)
          geometryIssues.push({
            path: `featureCollection.features[${this.indexOf(features, inputs[i].code, codeField)}].geometry`,
            message: `invalid geometry: ${problem}`,
          });
      });
      if (geometryIssues.length)
        throw new ValidationError(geometryIssues, 'Nothing was imported: fix the features listed and send the collection again.');

      const parentLevel = PARENT_LEVEL[level];
      if (parentLevel && parentCode) {
        const parentId = await this.areas.findIdByCode(parentCode, manager);
        if (!parentId) throw new ValidationError([{ path: 'parentCode', message: `no area with code ${parentCode}` }]);
      } else if (parentLevel) {
        // No parent named: each feature goes under the area one level up that contains it.
        const parents = await this.areas.findContainingParents(
          inputs.map((i) => i.geometry),
          parentLevel,
          manager,
        );
        const orphans: Issue[] = [];
        parents.forEach((code, i) => {
          if (code) inputs[i].parentCode = code;
          else
            orphans.push({
              path: `featureCollection.features[${this.indexOf(features, inputs[i].code, codeField)}]`,
              message: `lies in no ${parentLevel}; give parentCode`,
            });
        });
        if (orphans.length) throw new ValidationError(orphans, 'Nothing was imported: some features have no parent area.');
      }
      if (zoneSet) await this.areas.upsertZoneSet(zoneSet, zoneSet, null, null, manager);
      const { inserted, updated } = await this.areas.upsertMany(inputs, false, manager);
      this.logger.log({ level, inserted, updated }, 'areas imported');
      return { imported: inserted, updated };
    });
    await this.changes.announce();
    return result;
  }

  /** Loads generated areas (the demo city) in one transaction. */
  async seed(areas: AreaInput[], zoneSets: { key: string; name: string; nameEn: string; description: string }[]): Promise<number> {
    const inserted = await this.areas.transaction(async (manager) => {
      for (const z of zoneSets) await this.areas.upsertZoneSet(z.key, z.name, z.nameEn, z.description, manager);
      const sorted = [...areas].sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level));
      return (await this.areas.upsertMany(sorted, true, manager)).inserted;
    });
    await this.changes.announce();
    return inserted;
  }

  /**
   * Sets the short letters case codes use for areas (by area code): GZ for the city, TH for 天河.
   * Areas not named keep theirs; unknown codes are skipped. Answers how many changed.
   */
  async setAbbreviations(byCode: ReadonlyMap<string, string>): Promise<number> {
    for (const [code, abbrev] of byCode) {
      if (!/^[A-Z]{1,6}$/.test(abbrev)) throw new ValidationError([{ path: code, message: 'an abbreviation is 1–6 capital letters' }]);
    }
    const changed = await this.areas.setAbbreviations(byCode);
    if (changed > 0) await this.changes.announce();
    return changed;
  }

  count(): Promise<number> {
    return this.areas.count();
  }

  /** The city-level area, or null before one is loaded (an empty database, or only districts imported). */
  city(): Promise<CityView | null> {
    return this.areas.findCity();
  }

  /** True while any area is generated demo data (an import of real boundaries replaces it area by area). */
  isDemo(): Promise<boolean> {
    return this.areas.anyDemo();
  }

  /** Every zone set with its number of zones, by key. */
  zoneSets(): Promise<ZoneSetSummary[]> {
    return this.areas.zoneSets();
  }

  /** The boundaries in a tile, of the scope's areas only. */
  tile(z: number, x: number, y: number, scope: ScopeRoots = null): Promise<Buffer> {
    return this.areas.areaTile(z, x, y, scope);
  }

  /** One level's areas in a tile (layer `areas-<level>`), of the scope's areas only. */
  levelTile(level: AreaLevel, z: number, x: number, y: number, scope: ScopeRoots = null): Promise<Buffer> {
    return this.areas.levelTile(level, z, x, y, scope);
  }

  /** Changes whenever areas are imported or seeded, in every process alike. */
  dataVersion(): Promise<string> {
    return this.changes.version();
  }

  features(
    bbox: [number, number, number, number],
    level: AreaLevel | undefined,
    limit: number,
    scope: ScopeRoots = null,
  ): Promise<unknown> {
    return this.areas.featuresInBbox(bbox, level, limit, scope);
  }

  /** A page of one level's or one zone set's areas as GeoJSON features (OGC API – Features). */
  featurePage(
    filter: AreaFeatureFilter,
    limit: number,
    offset: number,
    scope: ScopeRoots = null,
  ): Promise<{ matched: number; features: AreaFeature[] }> {
    return this.areas.featurePage(filter, limit, offset, scope);
  }

  /** One area as a feature, null when it is not in that level or zone set, or outside the scope. */
  feature(id: number, filter: AreaFeatureFilter, scope: ScopeRoots = null): Promise<AreaFeature | null> {
    return this.areas.feature(id, filter, scope);
  }

  /** The box around each level's and zone set's areas in the scope. */
  extents(scope: ScopeRoots = null): Promise<AreaExtent[]> {
    return this.areas.extents(scope);
  }

  private indexOf(features: unknown[], code: string, codeField: string): number {
    return features.findIndex((f) => {
      const value = (f as { properties?: Record<string, unknown> }).properties?.[codeField];
      return (typeof value === 'string' || typeof value === 'number') && String(value).trim() === code;
    });
  }
}
