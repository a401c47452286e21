/**
 * The two connections of cityops: DATABASE_URL, the application's own role (API, worker,
 * migrations), and DATABASE_ADMIN_URL, a superuser that only the set-up uses. Pure functions, so
 * the config loader, the set-up and the tests derive them the same way.
 */

/** The application's own role (not a superuser) on this machine; the set-up creates it. */
export const DEFAULT_DATABASE_URL = 'postgres://cityops@127.0.0.1:5432/cityops';

/** The superuser the set-up connects as when DATABASE_ADMIN_URL is unset. */
export const DEFAULT_ADMIN_USER = 'postgres';

/** `url` with `password` when it carries none (DATABASE_PASSWORD beside a URL without one). */
export function withPassword(url: string, password: string | undefined): string {
  if (!password) return url;
  const u = new URL(url);
  if (u.password) return url;
  u.password = password;
  return u.toString();
}

/** DATABASE_URL's server, as the user `postgres` without a password, in database `postgres` (which always exists). */
export function adminUrlFor(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  u.username = DEFAULT_ADMIN_USER;
  u.password = '';
  u.pathname = '/postgres';
  return u.toString();
}

export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The role, password and database a URL names (percent-decoded). */
export function urlParts(url: string): { user: string; password: string; database: string } {
  const u = new URL(url);
  return {
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
  };
}
