import type { Role } from '@cityops/contracts';

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
