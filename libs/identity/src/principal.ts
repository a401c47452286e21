import type { PrincipalKind, Role, ScopeView } from '@cityops/contracts';
import { ForbiddenError } from './identity.exception';

/**
 * The areas a caller may see. City-wide, or the roots of its scope: area ids (each with all inside
 * it, and the event zones that overlap it) and the zones of its zone sets. Repositories take
 * `scopeRoots(scope)`: null means no filter, an array is passed to `cityops_scope_area_ids($n)`
 * (area-keyed rows) or compared with `area_path && $n` (located records).
 */
export type AreaScope = { cityWide: true } | { cityWide: false; roots: readonly number[] };

export const CITY_WIDE: AreaScope = { cityWide: true };

/** The SQL parameter of a scope: null for the whole city, else the root area ids. */
export function scopeRoots(scope: AreaScope): number[] | null {
  return scope.cityWide ? null : [...scope.roots];
}

/** Who is calling: a person, a registered wall screen, or an outside system holding a feed key. */
export interface Principal {
  kind: PrincipalKind;
  /** The user's, display's or feed key's id. */
  subject: string;
  username: string;
  displayName: string;
  /** A person's roles; displays and feed keys have none (their kind says what they may do). */
  roles: Role[];
  scope: AreaScope;
  /** How the scope reads, for answers and the admin pages. */
  scopeViews: ScopeView[];
  department: string | null;
  /** The sign-in session behind an access token; null for a feed key. */
  sessionId: string | null;
  /** The one feed a feed key may push to. */
  feedKey: string | null;
  /** A person whose password was set by an admin may do nothing but change it. */
  mustChangePassword: boolean;
}

export function hasRole(principal: Principal, roles: readonly Role[]): boolean {
  return principal.kind === 'user' && (principal.roles.includes('admin') || roles.some((r) => principal.roles.includes(r)));
}

/** Records and entities are pushed by admins, and by a feed key to its own feed. */
export function mayPushToFeed(principal: Principal, feedKey: string): boolean {
  return hasRole(principal, ['admin']) || (principal.kind === 'feed' && principal.feedKey === feedKey);
}

/** Throws the 403 every way in gives when `mayPushToFeed` says no. */
export function assertMayPushToFeed(principal: Principal, feedKey: string): void {
  if (!mayPushToFeed(principal, feedKey)) throw new ForbiddenError(`This key may not push to feed ${feedKey}.`);
}
