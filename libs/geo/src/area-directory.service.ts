import { Injectable } from '@nestjs/common';
import { AreaChanges } from './area-changes.service';
import { AreaRepository, type AreaMeasure, type AreaRef } from './area.repository';

/**
 * How long anything is answered from memory at most. Changes are announced to every process, so
 * this only bounds how long a process that missed an announcement (Redis away at that moment)
 * keeps what it read.
 */
const MAX_AGE_MS = 60_000;

/**
 * Areas by code, id or zone set for the other domains (ingest names areas by code; indicators
 * compute over zone sets; indicators, alerts and samples show codes and names), without their
 * SQL touching the `area` table. A read-through cache on the hot path (every ingest batch, every
 * indicator recomputation): an area asked for once is answered from memory until areas change,
 * which every process hears; a code or id not held is looked up, so a just-imported area is
 * never reported unknown.
 */
@Injectable()
export class AreaDirectory {
  private byCode = new Map<string, AreaRef>();
  private byId = new Map<number, AreaRef>();
  private zoneSets = new Map<string, readonly AreaRef[]>();
  private measured = new Map<string, readonly AreaMeasure[]>();
  private scopes = new Map<string, Promise<ReadonlySet<number>>>();
  private since = Date.now();
  /** Bumped on every change, so a lookup that started before it cannot store what it read. */
  private generation = 0;

  constructor(
    private readonly areas: AreaRepository,
    changes: AreaChanges,
  ) {
    changes.onChange(() => Promise.resolve(this.forget()));
  }

  /** The known areas among `codes`; unknown codes are absent. */
  async byCodes(codes: Iterable<string>): Promise<Map<string, AreaRef>> {
    this.expire();
    const found = new Map<string, AreaRef>();
    const missing: string[] = [];
    for (const code of new Set(codes)) {
      const ref = this.byCode.get(code);
      if (ref) found.set(code, ref);
      else missing.push(code);
    }
    if (missing.length) for (const ref of await this.fetch(() => this.areas.refsByCode(missing))) found.set(ref.code, ref);
    return found;
  }

  /** The areas among `ids`; ids of areas that no longer exist are absent. */
  async byIds(ids: Iterable<number>): Promise<Map<number, AreaRef>> {
    this.expire();
    const found = new Map<number, AreaRef>();
    const missing: number[] = [];
    for (const id of new Set(ids)) {
      const ref = this.byId.get(id);
      if (ref) found.set(id, ref);
      else missing.push(id);
    }
    if (missing.length) for (const ref of await this.fetch(() => this.areas.refsById(missing))) found.set(ref.id, ref);
    return found;
  }

  /** A zone set's areas in course order (`seq`, then code); none for an unknown zone set. */
  async zoneSetAreas(zoneSet: string): Promise<readonly AreaRef[]> {
    this.expire();
    const held = this.zoneSets.get(zoneSet);
    if (held) return held;
    const generation = this.generation;
    const refs = await this.fetch(() => this.areas.refsInZoneSet(zoneSet));
    if (generation === this.generation) this.zoneSets.set(zoneSet, refs);
    return refs;
  }

  /**
   * The areas of a zone set, or of some levels, with capacity, residents and km² (what indicator
   * values are divided by), by id. Held until areas change: indicators ask on every recomputation.
   */
  async measuredAreas(of: { zoneSet: string } | { levels: readonly string[] }): Promise<readonly AreaMeasure[]> {
    this.expire();
    const key = 'zoneSet' in of ? `z:${of.zoneSet}` : `l:${[...of.levels].sort().join(',')}`;
    const held = this.measured.get(key);
    if (held) return held;
    const generation = this.generation;
    const measures = await this.areas.measures('zoneSet' in of ? of.zoneSet : null, 'levels' in of ? of.levels : null);
    if (generation === this.generation) this.measured.set(key, measures);
    return measures;
  }

  /**
   * Every area a scope sees (`cityops_scope_area_ids(roots)`), for decisions made in memory many
   * times over, such as which live events a scoped socket may hear. Held per scope until areas
   * change; reads of stored rows filter in their own SQL instead.
   */
  scopeAreaIds(roots: readonly number[]): Promise<ReadonlySet<number>> {
    this.expire();
    const key = [...roots].sort((a, b) => a - b).join(',');
    const held = this.scopes.get(key);
    if (held) return held;
    // Areas changing replaces the map, so a read that started before lands in the old one.
    const scopes = this.scopes;
    const loading = this.areas.scopeAreaIds(roots).then((ids): ReadonlySet<number> => new Set(ids));
    scopes.set(key, loading);
    // A failed read (database away) is not kept: the next use tries again.
    loading.catch(() => {
      if (scopes.get(key) === loading) scopes.delete(key);
    });
    return loading;
  }

  private async fetch(read: () => Promise<AreaRef[]>): Promise<AreaRef[]> {
    const generation = this.generation;
    const refs = await read();
    if (generation === this.generation) {
      for (const ref of refs) {
        this.byCode.set(ref.code, ref);
        this.byId.set(ref.id, ref);
      }
    }
    return refs;
  }

  private expire(): void {
    if (Date.now() - this.since > MAX_AGE_MS) this.forget();
  }

  private forget(): void {
    this.generation++;
    this.since = Date.now();
    this.byCode = new Map();
    this.byId = new Map();
    this.zoneSets = new Map();
    this.measured = new Map();
    this.scopes = new Map();
  }
}
