/**
 * The roots of a caller's area scope, as every scoped read takes them: null for the whole city,
 * else area ids whose areas may be read, each with all inside it and the event zones that overlap
 * it. The rule itself is one SQL function, `cityops_scope_area_ids(roots)` (migration
 * 1796100000000), so every lib that owns area-keyed rows filters alike. An empty array sees nothing.
 */
export type ScopeRoots = readonly number[] | null;

/**
 * The SQL condition "`column` (an area id) lies in the scope passed as parameter `$param`". A
 * null scope passes every row: the parameter's value is known when the statement is planned, so
 * the test costs nothing for city-wide callers; otherwise the scope's ids are computed once per
 * statement (a hashed subplan), never per row.
 */
export function inScopeSql(column: string, param: number): string {
  return `($${param}::int[] IS NULL OR ${column} IN (SELECT cityops_scope_area_ids($${param}::int[])))`;
}
