import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { adminUrlFor } from '../../libs/core/src/database/database-urls';

// scripts/lib.sh finds the server to check, start or provision from the set-up's superuser
// (DATABASE_ADMIN_URL), and must derive it as the processes do (libs/core adminUrlFor).
const lib = path.resolve(__dirname, '../../scripts/lib.sh');

function serviceUrls(env: Record<string, string>): { admin: string; user: string; host: string; port: string } {
  const out = execFileSync(
    'bash',
    ['-c', 'source "$0" && _cityops_service_urls && printf "%s\\n" "$_PG_ADMIN_URL" "$_PG_USER" "$_PG_HOST" "$_PG_PORT"', lib],
    { env: { PATH: process.env.PATH, REDIS_URL: 'redis://127.0.0.1:6379/0', ...env }, encoding: 'utf8' },
  );
  const [admin, user, host, port] = out.split('\n');
  return { admin, user, host, port };
}

describe("scripts/lib.sh: the set-up's superuser", () => {
  it.each([
    'postgres://cityops:pw@127.0.0.1:5432/cityops',
    'postgres://cityops@db.internal:6432/city?sslmode=require',
    'postgresql://app@[::1]/cityops',
  ])('is DATABASE_URL’s server as postgres, database postgres, when DATABASE_ADMIN_URL is empty: %s', (url) => {
    const derived = serviceUrls({ DATABASE_URL: url, DATABASE_ADMIN_URL: '' });
    expect(derived.admin).toBe(adminUrlFor(url));
    expect(derived.user).toBe('postgres');
  });

  it('is DATABASE_ADMIN_URL when set, for the checks, Docker and provisioning alike', () => {
    expect(
      serviceUrls({
        DATABASE_URL: 'postgres://cityops@127.0.0.1:5432/cityops',
        DATABASE_ADMIN_URL: 'postgres://root:s3@127.0.0.1:5433/postgres',
      }),
    ).toEqual({ admin: 'postgres://root:s3@127.0.0.1:5433/postgres', user: 'root', host: '127.0.0.1', port: '5433' });
  });
});
