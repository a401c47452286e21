import type { AreaLevel, AreaView, ScopeRef, ScopeView } from '@cityops/contracts';
import type { Lang } from '../../i18n';

/** The levels of the hierarchy, top down; zones stand apart (chosen as whole zone sets). */
export const HIERARCHY_LEVELS = ['city', 'district', 'street', 'community', 'grid'] as const satisfies readonly AreaLevel[];

export type AreaNode = Pick<AreaView, 'id' | 'code' | 'name' | 'nameEn' | 'level' | 'parentId'>;
export type AreaScopeView = Extract<ScopeView, { kind: 'area' }>;

/** Areas by id and code, and each area's children in code order. */
export interface AreaIndex {
  byId: ReadonlyMap<number, AreaNode>;
  byCode: ReadonlyMap<string, AreaNode>;
  children: ReadonlyMap<number, readonly AreaNode[]>;
  roots: readonly AreaNode[];
  size: number;
}

const byCode = (a: AreaNode, b: AreaNode) => a.code.localeCompare(b.code);

export const EMPTY_INDEX: AreaIndex = indexAreas([]);

/** An index of the hierarchy's areas (zones are left out). */
export function indexAreas(areas: readonly AreaNode[]): AreaIndex {
  const ids = new Map<number, AreaNode>();
  for (const area of areas) if (area.level !== 'zone') ids.set(area.id, area);
  const codes = new Map<string, AreaNode>();
  const children = new Map<number, AreaNode[]>();
  const roots: AreaNode[] = [];
  for (const area of ids.values()) {
    codes.set(area.code, area);
    if (area.parentId !== null && ids.has(area.parentId)) {
      const siblings = children.get(area.parentId);
      if (siblings) siblings.push(area);
      else children.set(area.parentId, [area]);
    } else {
      roots.push(area);
    }
  }
  for (const list of children.values()) list.sort(byCode);
  roots.sort((a, b) => levelRank(a.level) - levelRank(b.level) || byCode(a, b));
  return { byId: ids, byCode: codes, children, roots, size: ids.size };
}

/** The index with more areas in it (a community's grids loaded on demand); known ids are replaced. */
export function withAreas(index: AreaIndex, more: readonly AreaNode[]): AreaIndex {
  if (more.length === 0) return index;
  return indexAreas([...index.byId.values(), ...more]);
}

export function levelRank(level: AreaLevel): number {
  const rank = (HIERARCHY_LEVELS as readonly AreaLevel[]).indexOf(level);
  return rank < 0 ? HIERARCHY_LEVELS.length : rank;
}

export function childrenOf(index: AreaIndex, id: number): readonly AreaNode[] {
  return index.children.get(id) ?? [];
}

/** The areas above `id`, from the top down (not `id` itself). */
export function ancestorsOf(index: AreaIndex, id: number): AreaNode[] {
  const path: AreaNode[] = [];
  let current = index.byId.get(id);
  const seen = new Set<number>();
  while (current && current.parentId !== null && !seen.has(current.parentId)) {
    seen.add(current.parentId);
    const parent = index.byId.get(current.parentId);
    if (!parent) break;
    path.unshift(parent);
    current = parent;
  }
  return path;
}

/** The English name when there is one and the page is in English, else the Chinese name. */
export function localName(named: { name: string; nameEn: string | null }, lang: Lang): string {
  return lang === 'en' && named.nameEn ? named.nameEn : named.name;
}

export interface AreaSearchResult {
  matches: AreaNode[];
  /** All matches, of which `matches` holds the best `limit`. */
  total: number;
}

/**
 * Areas whose code, Chinese or English name holds the query (case ignored). An exact code comes
 * first, then codes and names that start with it, then the rest; within each, higher levels first.
 */
export function searchAreas(index: AreaIndex, query: string, limit = 50): AreaSearchResult {
  const q = query.trim().toLowerCase();
  if (!q) return { matches: [], total: 0 };
  const ranked: { area: AreaNode; rank: number }[] = [];
  for (const area of index.byId.values()) {
    const code = area.code.toLowerCase();
    const names = [area.name.toLowerCase(), (area.nameEn ?? '').toLowerCase()];
    let rank: number;
    if (code === q) rank = 0;
    else if (code.startsWith(q) || names.some((n) => n.startsWith(q))) rank = 1;
    else if (code.includes(q) || names.some((n) => n.includes(q))) rank = 2;
    else continue;
    ranked.push({ area, rank });
  }
  ranked.sort((a, b) => a.rank - b.rank || levelRank(a.area.level) - levelRank(b.area.level) || byCode(a.area, b.area));
  return { matches: ranked.slice(0, limit).map((r) => r.area), total: ranked.length };
}

/** An area of the index as a chosen scope. */
export function areaScope(area: AreaNode): AreaScopeView {
  return { kind: 'area', id: area.id, code: area.code, name: area.name, nameEn: area.nameEn, level: area.level };
}

export function scopeKey(scope: ScopeView): string {
  return scope.kind === 'area' ? `area:${scope.code}` : `zoneSet:${scope.key}`;
}

/** The chosen area that covers `id`: itself or the nearest chosen area above it; null if none does. */
export function coveringScope(index: AreaIndex, id: number, chosen: readonly ScopeView[]): AreaScopeView | null {
  const chosenIds = new Map<number, AreaScopeView>();
  for (const scope of chosen) if (scope.kind === 'area') chosenIds.set(scope.id, scope);
  const self = chosenIds.get(id);
  if (self) return self;
  const above = ancestorsOf(index, id);
  for (let i = above.length - 1; i >= 0; i--) {
    const hit = chosenIds.get(above[i].id);
    if (hit) return hit;
  }
  return null;
}

/**
 * Adds an area to the scope. An area already covered by a chosen one adds nothing; chosen areas
 * inside the new one are dropped, since it holds them (a scope is "this area and all inside it").
 */
export function addAreaScope(index: AreaIndex, chosen: readonly ScopeView[], area: AreaNode): ScopeView[] {
  if (coveringScope(index, area.id, chosen)) return [...chosen];
  const inside = (scope: ScopeView) => scope.kind === 'area' && ancestorsOf(index, scope.id).some((a) => a.id === area.id);
  return [...chosen.filter((scope) => !inside(scope)), areaScope(area)];
}

export function toggleZoneSet(chosen: readonly ScopeView[], zoneSet: { key: string; name: string; nameEn: string | null }): ScopeView[] {
  const present = chosen.some((s) => s.kind === 'zoneSet' && s.key === zoneSet.key);
  if (present) return chosen.filter((s) => !(s.kind === 'zoneSet' && s.key === zoneSet.key));
  return [...chosen, { kind: 'zoneSet', key: zoneSet.key, name: zoneSet.name, nameEn: zoneSet.nameEn }];
}

export function removeScope(chosen: readonly ScopeView[], scope: ScopeView): ScopeView[] {
  const key = scopeKey(scope);
  return chosen.filter((s) => scopeKey(s) !== key);
}

/** What a request says: area codes and zone-set keys. */
export function toScopeRefs(chosen: readonly ScopeView[]): ScopeRef[] {
  return chosen.map((scope) => (scope.kind === 'area' ? { area: scope.code } : { zoneSet: scope.key }));
}

/** Two scopes are the same choice, whatever the order. */
export function sameScopes(a: readonly ScopeView[], b: readonly ScopeView[]): boolean {
  const keys = (list: readonly ScopeView[]) => list.map(scopeKey).sort().join('|');
  return keys(a) === keys(b);
}
