import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

describe('scripts/lib.sh: cityops_checks runs the checks side by side', () => {
  /** Runs cityops_checks over the scripts of a throwaway package; its exit code and output. */
  function checks(scripts: Record<string, string>, names: string[]): { status: number; stdout: string; stderr: string } {
    const root = mkdtempSync(path.join(tmpdir(), 'cityops-checks-'));
    try {
      writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'checks', private: true, scripts }));
      const run = spawnSync(
        'bash',
        [
          '-c',
          'source "$0" && CITYOPS_ROOT="$1" CITYOPS_STATE_DIR="$1/.state" CITYOPS_LOG_DIR="$1/.state/logs" cityops_checks "${@:2}"',
          lib,
          root,
          ...names,
        ],
        { env: { PATH: process.env.PATH }, encoding: 'utf8' },
      );
      return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  it('passes when every check passes', () => {
    const run = checks({ typecheck: 'echo types fine', lint: 'echo style fine' }, ['typecheck', 'lint']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('types and style ok');
    expect(run.stderr).not.toContain('failed');
  });

  it('fails naming every check that failed, with the end of its log, and says how to format', () => {
    const run = checks(
      {
        typecheck: 'echo types fine',
        lint: 'echo lint found a floating promise && exit 3',
        'format:check': 'echo unformatted.ts && exit 1',
      },
      ['typecheck', 'lint', 'format:check'],
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm run lint failed');
    expect(run.stderr).toContain('lint found a floating promise');
    expect(run.stderr).toContain('npm run format:check failed');
    expect(run.stderr).toContain('unformatted.ts');
    expect(run.stderr).toContain('failed: lint format:check');
    expect(run.stderr).toContain('run npm run format');
    expect(run.stderr).not.toContain('npm run typecheck failed');
  });
});
