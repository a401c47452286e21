import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  auditOwnerRole,
  dataSourceOptions,
  dropDatabase,
  loadConfig,
  prepareDatabase,
  scramVerifier,
  withDatabaseName,
} from '@cityops/core';
import { migrateDatabase } from '../../apps/worker/src/database-setup';
import { MIGRATIONS } from '../../migrations';
import { AuditTrail1796200000000 } from '../../migrations/1796200000000-audit-trail';
import { startApiProcess } from '../support/api-process';
import { startStack, type TestStack } from '../support/stack';
import { adminUrl, databaseUrl, runId, testEnv, testRoleName } from '../support/test-env';

const API_MAIN = join(__dirname, '../../dist/apps/api/src/main.js');
const WORKER_MAIN = join(__dirname, '../../dist/apps/worker/src/main.js');

/** A statement as the application's role, and the error PostgreSQL answered, if any. */
async function refusal(client: Client, sql: string): Promise<string | null> {
  try {
    await client.query(sql);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Runs a built main until it ends on its own (or 30 s pass); answers its exit code and output. */
async function runToExit(main: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, output };
}

describe("the application's own database role", () => {
  let stack: TestStack;
  const role = () => testRoleName();

  /** The suite's database as the set-up's superuser. */
  const asSuperuser = () => withDatabaseName(adminUrl, new URL(stack.config.databaseUrl).pathname.slice(1));

  const withClient = async <T>(url: string, work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('is what the API and the worker connect as: an ordinary role that owns the schema and its tables, not the database', async () => {
    for (const ds of [stack.api!.get(DataSource), stack.workers[0].get(DataSource)]) {
      expect(
        await ds.query(`SELECT current_user AS name, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user`),
      ).toEqual([{ name: role(), rolsuper: false, rolcreaterole: false, rolcreatedb: false }]);
    }
    const { rows } = await stack.db.query<{ schema_owner: string; database_owner: string; foreign_tables: string[] }>(
      `SELECT (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'public') AS schema_owner,
              (SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()) AS database_owner,
              ARRAY(SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tableowner <> current_user
                     AND tablename <> 'spatial_ref_sys') AS foreign_tables`,
    );
    expect(rows[0].schema_owner).toBe(role());
    expect(rows[0].database_owner).not.toBe(role());
    expect(rows[0].foreign_tables).toEqual([]);
  });

  it('may add to the audit trail and read it, but never change, empty, disable or drop it', async () => {
    const inserted = await stack.db.query<{ id: string }>(
      `INSERT INTO audit.audit_event (actor_kind, action, outcome) VALUES ('system', 'test.append_only', 'success') RETURNING id`,
    );
    const id = inserted.rows[0].id;
    expect((await stack.db.query(`SELECT action FROM audit.audit_event WHERE id = $1`, [id])).rows).toEqual([
      { action: 'test.append_only' },
    ]);

    const audit = auditOwnerRole(role());
    const refused = {
      update: await refusal(stack.db, `UPDATE audit.audit_event SET outcome = 'failed' WHERE id = ${id}`),
      delete: await refusal(stack.db, `DELETE FROM audit.audit_event WHERE id = ${id}`),
      truncate: await refusal(stack.db, `TRUNCATE audit.audit_event`),
      disableTriggers: await refusal(stack.db, `ALTER TABLE audit.audit_event DISABLE TRIGGER ALL`),
      takeOver: await refusal(stack.db, `ALTER TABLE audit.audit_event OWNER TO CURRENT_USER`),
      drop: await refusal(stack.db, `DROP TABLE audit.audit_event`),
      dropSchema: await refusal(stack.db, `DROP SCHEMA audit CASCADE`),
      tableBeside: await refusal(stack.db, `CREATE TABLE audit.shadow (id int)`),
      becomeOwner: await refusal(stack.db, `SET ROLE ${audit}`),
    };
    expect(refused).toEqual({
      update: expect.stringMatching(/permission denied/),
      delete: expect.stringMatching(/permission denied/),
      truncate: expect.stringMatching(/permission denied/),
      disableTriggers: expect.stringMatching(/must be owner/),
      takeOver: expect.stringMatching(/must be owner/),
      drop: expect.stringMatching(/must be owner/),
      dropSchema: expect.stringMatching(/must be owner/),
      tableBeside: expect.stringMatching(/permission denied/),
      becomeOwner: expect.stringMatching(/permission denied/),
    });
    // Nor the whole database with it: it belongs to the superuser.
    const name = new URL(stack.config.databaseUrl).pathname.slice(1);
    expect(await withClient(databaseUrl('postgres'), (c) => refusal(c, `DROP DATABASE "${name}"`))).toMatch(/must be owner/);
    expect((await stack.db.query(`SELECT outcome FROM audit.audit_event WHERE id = $1`, [id])).rows).toEqual([{ outcome: 'success' }]);
  });

  it('is refused as a superuser by the API and the worker in production, and accepted as the application role', async () => {
    if (!existsSync(API_MAIN) || !existsSync(WORKER_MAIN)) throw new Error('dist is missing: run `npm run build:server` (npm test does)');
    const production = (url: string) => ({
      ...testEnv({ NODE_ENV: 'production', DATABASE_URL: url, REDIS_PREFIX: stack.config.redis.prefix }),
      PATH: process.env.PATH,
    });
    for (const main of [API_MAIN, WORKER_MAIN]) {
      const run = await runToExit(main, production(asSuperuser()));
      expect([main, run.code]).toEqual([main, 1]);
      expect(run.output).toMatch(/DATABASE_URL connects as \S+, a superuser: .* NODE_ENV=production refuses to run so/);
    }
    const api = await startApiProcess(production(stack.config.databaseUrl));
    try {
      expect((await fetch(`${api.url}/api/health`)).status).toBe(200);
    } finally {
      api.stop();
    }
  });

  it("stores the role's password from DATABASE_URL as a SCRAM verifier PostgreSQL accepts as its own", async () => {
    await withClient(adminUrl, async (admin) => {
      const { rows } = await admin.query<{ rolpassword: string }>(`SELECT rolpassword FROM pg_authid WHERE rolname = $1`, [role()]);
      expect(rows[0].rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);
      expect(scramVerifier(new URL(stack.config.databaseUrl).password, rows[0].rolpassword)).toBe(rows[0].rolpassword);
      // The same computation as the server's own, for a password the server hashed itself.
      const probe = `${role()}_probe`;
      try {
        await admin.query(`SET password_encryption = 'scram-sha-256'`);
        await admin.query(`CREATE ROLE ${probe} PASSWORD 'pencil'`);
        const hashed = (await admin.query<{ p: string }>(`SELECT rolpassword AS p FROM pg_authid WHERE rolname = $1`, [probe])).rows[0].p;
        expect(scramVerifier('pencil', hashed)).toBe(hashed);
        expect(scramVerifier('pencil!', hashed)).not.toBe(hashed);
      } finally {
        await admin.query(`DROP ROLE IF EXISTS ${probe}`);
      }
    });
  });

  it("leaves a role it did not create as it is (a person's superuser account): no demotion, no new password, a warning", async () => {
    const other = `${role()}_person`;
    const url = new URL(databaseUrl(`cityops_test_${runId()}_person`));
    url.username = other;
    url.password = 'not-this-one';
    const urls = { databaseUrl: url.toString(), databaseAdminUrl: adminUrl };
    await withClient(adminUrl, (admin) => admin.query(`CREATE ROLE ${other} LOGIN SUPERUSER PASSWORD 'own-password'`));
    try {
      const prepared = await prepareDatabase(urls);
      expect(prepared.roleCreated).toBe(false);
      expect(prepared.warnings).toEqual([expect.stringMatching(new RegExp(`DATABASE_URL connects as ${other}, a superuser`))]);
      await withClient(adminUrl, async (admin) => {
        const { rows } = await admin.query<{ rolsuper: boolean; rolpassword: string }>(
          `SELECT rolsuper, rolpassword FROM pg_authid WHERE rolname = $1`,
          [other],
        );
        expect(rows[0].rolsuper).toBe(true);
        expect(scramVerifier('own-password', rows[0].rolpassword)).toBe(rows[0].rolpassword);
      });
    } finally {
      await dropDatabase(urls);
      await withClient(adminUrl, async (admin) => {
        for (const name of [auditOwnerRole(other), other]) await admin.query(`DROP ROLE IF EXISTS ${name}`);
      });
    }
  });

  it('hands an installation made as the superuser to the application role, with its data, and seals its audit trail', async () => {
    const name = `cityops_test_${runId()}_adopt`;
    const urls = { databaseUrl: databaseUrl(name), databaseAdminUrl: adminUrl };
    const superuser = withDatabaseName(adminUrl, name);
    await withClient(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
    try {
      // As installations ran before the application had a role: every migration before the audit trail, as postgres.
      const before = MIGRATIONS.indexOf(AuditTrail1796200000000);
      const older = new DataSource({ ...dataSourceOptions(superuser, 1), migrations: MIGRATIONS.slice(0, before) });
      await older.initialize();
      await older.runMigrations({ transaction: 'each' });
      await older.query(`INSERT INTO feed (key, name, metrics) VALUES ('older-air', '空气', '[{"key":"pm25"}]')`);
      await older.destroy();

      const config = loadConfig(testEnv({ DATABASE_URL: urls.databaseUrl, REDIS_PREFIX: `cityops-test-${runId()}-adopt` }));
      const result = await migrateDatabase(config);
      expect(result).toMatchObject({
        created: false,
        roleCreated: false,
        adopted: expect.any(Number),
        applied: MIGRATIONS.slice(before).map((m) => new m().name),
        warnings: [],
      });

      // Every table, partition, sequence and function the migrations made, as many as there are.
      expect(result.adopted).toBeGreaterThan(20);
      await withClient(urls.databaseUrl, async (app) => {
        expect((await app.query(`SELECT name FROM feed WHERE key = 'older-air'`)).rows).toEqual([{ name: '空气' }]);
        await app.query(`UPDATE feed SET name = '空气质量' WHERE key = 'older-air'`);
        // Its functions are the role's too: the partition upkeep runs as it.
        await app.query(`SELECT cityops_ensure_observation_partitions(current_date, 2)`);
        const owners = await app.query<{ owner: string; n: number }>(
          `SELECT tableowner AS owner, count(*)::int AS n FROM pg_tables
            WHERE schemaname IN ('public', 'audit') AND tablename <> 'spatial_ref_sys' GROUP BY 1 ORDER BY 1`,
        );
        expect(owners.rows.map((r) => r.owner).sort()).toEqual([auditOwnerRole(role()), role()].sort());
        expect(await refusal(app, `DELETE FROM audit.audit_event`)).toMatch(/permission denied/);
      });
    } finally {
      await dropDatabase(urls);
    }
  });
});
