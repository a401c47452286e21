import { describe, expect, it } from '@jest/globals';
import type { ScopeView } from '@cityops/contracts';
import {
  addAreaScope,
  ancestorsOf,
  areaScope,
  childrenOf,
  coveringScope,
  indexAreas,
  removeScope,
  sameScopes,
  searchAreas,
  toggleZoneSet,
  toScopeRefs,
  withAreas,
  type AreaNode,
} from './area-tree';

const area = (
  id: number,
  code: string,
  name: string,
  level: AreaNode['level'],
  parentId: number | null,
  nameEn: string | null = null,
): AreaNode => ({
  id,
  code,
  name,
  nameEn,
  level,
  parentId,
});

const CITY = area(1, '440100', '广州市', 'city', null, 'Guangzhou');
const LIWAN = area(12, '440103', '荔湾区', 'district', 1, 'Liwan District');
const YUEXIU = area(11, '440104', '越秀区', 'district', 1, 'Yuexiu District');
const LIWAN_STREET = area(102, '440103001', '荔湾区第1街道', 'street', 12, 'Liwan Street 1');
const LIWAN_COMMUNITY = area(553, '440103001001', '荔湾区第1街道第1社区', 'community', 102, 'Liwan Street 1 Community 1');
const LIWAN_GRID = area(2553, '440103001001001', '荔湾区第1街道第1社区第1网格', 'grid', 553, 'Liwan Street 1 Community 1 Grid 1');
const ZONE = area(900, 'LF-01', '灯光节第1区', 'zone', null);

const index = indexAreas([LIWAN_STREET, YUEXIU, CITY, LIWAN, LIWAN_COMMUNITY, ZONE]);

describe('the area hierarchy for scope pickers', () => {
  it('indexes areas under their parents in code order, leaving zones out', () => {
    expect(index.roots.map((a) => a.code)).toEqual(['440100']);
    expect(childrenOf(index, 1).map((a) => a.code)).toEqual(['440103', '440104']);
    expect(ancestorsOf(index, 553).map((a) => a.code)).toEqual(['440100', '440103', '440103001']);
    expect(index.byCode.has('LF-01')).toBe(false);
    expect(index.size).toBe(5);
  });

  it("takes a community's grids in later", () => {
    const more = withAreas(index, [LIWAN_GRID]);
    expect(childrenOf(more, 553).map((a) => a.code)).toEqual(['440103001001001']);
    expect(ancestorsOf(more, 2553).map((a) => a.level)).toEqual(['city', 'district', 'street', 'community']);
    expect(withAreas(more, [])).toBe(more);
  });

  it('finds areas by code or by Chinese or English name: an exact code first, then beginnings, higher levels before lower', () => {
    const grids = withAreas(index, [LIWAN_GRID]);
    expect(searchAreas(grids, '440103').matches.map((a) => a.code)).toEqual(['440103', '440103001', '440103001001', '440103001001001']);
    expect(searchAreas(grids, '越秀').matches.map((a) => a.code)).toEqual(['440104']);
    expect(searchAreas(grids, 'liwan street 1 community').matches.map((a) => a.level)).toEqual(['community', 'grid']);
    // A match inside the name counts too, after those that start with the query.
    expect(searchAreas(grids, '第1社区').matches.map((a) => a.level)).toEqual(['community', 'grid']);
    expect(searchAreas(grids, '  ')).toEqual({ matches: [], total: 0 });
    expect(searchAreas(grids, '4401', 2)).toEqual({ matches: [expect.objectContaining({ code: '440100' }), expect.anything()], total: 6 });
  });
});

describe('choosing a scope', () => {
  const liwan = areaScope(LIWAN);

  it('marks an area covered by itself or by a chosen area above it', () => {
    expect(coveringScope(index, 553, [liwan])).toEqual(liwan);
    expect(coveringScope(index, 12, [liwan])).toEqual(liwan);
    expect(coveringScope(index, 11, [liwan])).toBeNull();
  });

  it('adds an area once, ignores one already inside the scope, and drops chosen areas the new one holds', () => {
    const street = areaScope(LIWAN_STREET);
    const community = areaScope(LIWAN_COMMUNITY);
    const festival: ScopeView = { kind: 'zoneSet', key: 'lantern-festival', name: '江边灯光节', nameEn: null };
    let chosen = addAreaScope(index, [festival], LIWAN_COMMUNITY);
    expect(chosen).toEqual([festival, community]);
    chosen = addAreaScope(index, chosen, LIWAN_COMMUNITY);
    expect(chosen).toEqual([festival, community]);
    // The district holds the community: one scope entry says it all.
    chosen = addAreaScope(index, chosen, LIWAN);
    expect(chosen).toEqual([festival, liwan]);
    expect(addAreaScope(index, chosen, LIWAN_STREET)).toEqual([festival, liwan]);
    expect(removeScope(chosen, liwan)).toEqual([festival]);
    expect(addAreaScope(index, [street], YUEXIU).map((s) => (s.kind === 'area' ? s.code : s.key))).toEqual(['440103001', '440104']);
  });

  it('turns a zone set on and off, and writes the scope as the API reads it', () => {
    const set = { key: 'lantern-festival', name: '江边灯光节', nameEn: 'Riverside lantern festival' };
    const on = toggleZoneSet([liwan], set);
    expect(toScopeRefs(on)).toEqual([{ area: '440103' }, { zoneSet: 'lantern-festival' }]);
    expect(toggleZoneSet(on, set)).toEqual([liwan]);
    expect(sameScopes(on, [...on].reverse())).toBe(true);
    expect(sameScopes(on, [liwan])).toBe(false);
  });
});
