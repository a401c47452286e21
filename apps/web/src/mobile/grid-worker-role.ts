import type { SessionUser } from '@cityops/contracts';

/**
 * Whether the phone page is for this person: grid workers (the server decides each request
 * anyway). Apart from the page so that the home page asks without loading the page's chunk.
 */
export function isGridWorker(user: SessionUser | null): boolean {
  return !!user && user.kind === 'user' && user.roles.includes('grid_worker');
}
