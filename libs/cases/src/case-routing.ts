/**
 * A routing rule: cases of a category (or of a whole category group, or of any category) in an
 * area (or anywhere) go to a department.
 */
export interface RoutingRule {
  id: string;
  /** A category key, a category group key, or null for any category. */
  category: string | null;
  /** An area id (a district, street, community or grid), or null for the whole city. */
  areaId: number | null;
  departmentId: string;
}

/** What routing needs of a case: its category with its group, and its grid with every area above it. */
export interface RoutingSubject {
  category: string;
  /** The category's group, e.g. 城管 for 占道经营. */
  categoryGroup: string;
  /** Area ids from the city down to the case's grid. */
  areaPath: readonly number[];
}

export interface RoutingDecision {
  rule: RoutingRule;
  departmentId: string;
}

/** How closely a rule names the category: the category itself, its group, or any. -1: not this category. */
function categoryRank(rule: RoutingRule, s: RoutingSubject): number {
  if (rule.category === null) return 0;
  if (rule.category === s.categoryGroup) return 1;
  return rule.category === s.category ? 2 : -1;
}

/** How closely a rule names the place: the depth of its area on the case's path (the city is 1); 0 for anywhere, -1: elsewhere. */
function areaRank(rule: RoutingRule, s: RoutingSubject): number {
  if (rule.areaId === null) return 0;
  const at = s.areaPath.indexOf(rule.areaId);
  return at < 0 ? -1 : at + 1;
}

/**
 * The department a case goes to: of the rules that match it, the most specific. The category
 * counts first (departments are organised by what they do), the place second: 占道经营 in the
 * city beats "anything in 天河", and 占道经营 in 天河 beats 占道经营 in the city. Rules equally
 * specific are told apart by id, so the answer never depends on the order rules were loaded in.
 * Null when no rule matches (the case waits for the command centre to dispatch it by hand).
 */
export function routeCase(rules: readonly RoutingRule[], subject: RoutingSubject): RoutingDecision | null {
  let best: { rule: RoutingRule; category: number; area: number } | null = null;
  for (const rule of rules) {
    const category = categoryRank(rule, subject);
    const area = areaRank(rule, subject);
    if (category < 0 || area < 0) continue;
    const better =
      best === null ||
      category > best.category ||
      (category === best.category && (area > best.area || (area === best.area && rule.id < best.rule.id)));
    if (better) best = { rule, category, area };
  }
  return best ? { rule: best.rule, departmentId: best.rule.departmentId } : null;
}
