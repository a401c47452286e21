import type { Role, SessionUser } from '@cityops/contracts';

/** The roles `GET /api/cases` answers (admins always may): who works cases, and analysts and viewers for the numbers. */
const CASE_READER_ROLES: readonly Role[] = ['admin', 'commander', 'operator', 'handler', 'grid_worker', 'analyst', 'viewer'];

/** Whether the person may open `/cases` (the server decides; this spares a page whose every request would be refused). */
export function canReadCases(user: SessionUser | null): boolean {
  return !!user && user.kind === 'user' && user.roles.some((role) => CASE_READER_ROLES.includes(role));
}

/** Whether the person works cases (files, acts, adds notes), not only reads them: `POST /api/cases/:code/notes` answers these. */
export function worksCases(user: SessionUser | null): boolean {
  return !!user && user.kind === 'user' && user.roles.some((role) => CASE_WORKER_ROLES.includes(role));
}

const CASE_WORKER_ROLES: readonly Role[] = ['admin', 'commander', 'operator', 'handler', 'grid_worker'];
