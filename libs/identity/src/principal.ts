import type { Role } from '@cityops/contracts';
import { ForbiddenError } from './identity.exception';

/** Who is calling: a person, a wall-screen kiosk, or a machine pushing to feeds. */
export interface Principal {
  subject: string;
  username: string;
  kind: 'user' | 'kiosk' | 'feed';
  roles: Role[];
  /** Feeds a feed token may push to. */
  feedKeys: string[];
}

export function hasRole(principal: Principal, roles: readonly Role[]): boolean {
  return principal.roles.includes('admin') || roles.some((r) => principal.roles.includes(r));
}

/** Records and entities are pushed by admins, and by feed tokens to the feeds they were issued for. */
export function mayPushToFeed(principal: Principal, feedKey: string): boolean {
  return hasRole(principal, ['admin']) || (principal.kind === 'feed' && principal.feedKeys.includes(feedKey));
}

/** Throws the 403 every way in gives when `mayPushToFeed` says no. */
export function assertMayPushToFeed(principal: Principal, feedKey: string): void {
  if (!mayPushToFeed(principal, feedKey)) throw new ForbiddenError(`This token may not push to feed ${feedKey}.`);
}
