import { Injectable } from '@nestjs/common';
import { AreaChanges } from './area-changes.service';
import { AreaRepository, type AreaRef } from './area.repository';

/**
 * Areas by code or id for the other domains (ingest names areas by code; indicators, alerts and
 * samples show codes and names), without their SQL touching the `area` table. A read-through
 * cache: an area asked for once is answered from memory until areas change, which every process
 * hears; a code or id not held is looked up, so a just-imported area is never missed.
 */
@Injectable()
export class AreaDirectory {
  private byCode = new Map<string, AreaRef>();
  private byId = new Map<number, AreaRef>();
  /** Bumped on every change, so a lookup that started before it cannot store what it read. */
  private generation = 0;

  constructor(
    private readonly areas: AreaRepository,
    changes: AreaChanges,
  ) {
    changes.onChange(() => Promise.resolve(this.forget()));
  }

  /** The known areas among `codes`; unknown codes are simply absent. */
  async byCodes(codes: Iterable<string>): Promise<Map<string, AreaRef>> {
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

  /**
   * A zone set's areas in course order, read fresh: the indicator over a zone set must see a
   * capacity changed a moment ago in another process.
   */
  zoneSetAreas(zoneSet: string): Promise<AreaRef[]> {
    return this.fetch(() => this.areas.refsInZoneSet(zoneSet));
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

  private forget(): void {
    this.generation++;
    this.byCode = new Map();
    this.byId = new Map();
  }
}
