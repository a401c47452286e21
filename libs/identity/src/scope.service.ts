import { Injectable } from '@nestjs/common';
import type { ScopeRef, ScopeView } from '@cityops/contracts';
import { ValidationError } from '@cityops/core';
import { AreaDirectory, AreaService } from '@cityops/geo';
import { type AreaScope, CITY_WIDE } from './principal';

/** A scope as stored with a user or display: area ids and zone-set keys. */
export interface StoredScope {
  areaIds: number[];
  zoneSets: string[];
}

/**
 * Turns the scopes admins write (area codes, zone-set keys) into what is stored (ids), and what is
 * stored into what requests are filtered by. Areas come from geo's directory, so no SQL here
 * touches the `area` table.
 */
@Injectable()
export class ScopeService {
  constructor(
    private readonly directory: AreaDirectory,
    private readonly areas: AreaService,
  ) {}

  /** Unknown codes or zone sets are a 400 naming each one. */
  async toStored(refs: readonly ScopeRef[], path = 'scopes'): Promise<StoredScope> {
    const codes = refs.flatMap((r) => ('area' in r ? [r.area] : []));
    const known = await this.directory.byCodes(codes);
    const zoneSets = new Set((await this.areas.zoneSets()).map((z) => z.key));
    const problems = refs.flatMap((ref, index) =>
      'area' in ref
        ? known.has(ref.area)
          ? []
          : [{ path: `${path}.${index}.area`, message: `there is no area with code "${ref.area}"` }]
        : zoneSets.has(ref.zoneSet)
          ? []
          : [{ path: `${path}.${index}.zoneSet`, message: `there is no zone set "${ref.zoneSet}"` }],
    );
    if (problems.length) throw new ValidationError(problems, 'The scope names areas or zone sets that do not exist.');
    return {
      areaIds: [...new Set(codes.map((code) => known.get(code)!.id))],
      zoneSets: [...new Set(refs.flatMap((r) => ('zoneSet' in r ? [r.zoneSet] : [])))],
    };
  }

  /** The city-level areas: what a city-wide display or user is given. */
  async cityScope(): Promise<StoredScope> {
    const cities = await this.areas.list({ level: 'city', geometry: false, limit: 100 });
    return { areaIds: cities.map((c) => c.id), zoneSets: [] };
  }

  /**
   * What a stored scope lets its holder see. A city-level area makes it city-wide; areas or zone
   * sets that no longer exist drop out (an empty scope sees nothing, never everything).
   */
  async resolve(stored: StoredScope, cityWideRole = false): Promise<{ scope: AreaScope; views: ScopeView[] }> {
    const refs = await this.directory.byIds(stored.areaIds);
    const summaries = stored.zoneSets.length ? await this.areas.zoneSets() : [];
    const views: ScopeView[] = [
      ...stored.areaIds.flatMap((id) => {
        const a = refs.get(id);
        return a ? [{ kind: 'area' as const, id: a.id, code: a.code, name: a.name, nameEn: a.nameEn, level: a.level }] : [];
      }),
      ...stored.zoneSets.flatMap((key) => {
        const z = summaries.find((s) => s.key === key);
        return z ? [{ kind: 'zoneSet' as const, key, name: z.name, nameEn: z.nameEn }] : [];
      }),
    ];
    if (cityWideRole || [...refs.values()].some((a) => a.level === 'city')) return { scope: CITY_WIDE, views };
    const zoneIds = (await Promise.all(stored.zoneSets.map((key) => this.directory.zoneSetAreas(key)))).flat().map((a) => a.id);
    return { scope: { cityWide: false, roots: [...new Set([...refs.keys(), ...zoneIds])] }, views };
  }
}
