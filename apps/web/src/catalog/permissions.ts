import type { SessionUser } from '@cityops/contracts';

/*
 * What the catalog offers to whom, mirroring the `access` of the API's @Endpoint (the server decides; these only
 * spare a request that would be refused and hide a button that would fail).
 */

/** `GET /api/feeds/:key/rejected`: admins and analysts. */
export function canSeeRejected(user: SessionUser | null): boolean {
  return !!user && user.roles.some((role) => role === 'admin' || role === 'analyst');
}

/** `POST /api/feeds/:key/rejected/replay`: admins only. */
export function canReplay(user: SessionUser | null): boolean {
  return !!user && user.roles.includes('admin');
}
