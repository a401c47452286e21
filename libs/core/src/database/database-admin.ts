import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Client } from 'pg';
import { urlParts, withDatabaseName } from './database-urls';

/**
 * The set-up's superuser steps (`cli.js migrate|prepare`, the test and benchmark set-ups), through
 * DATABASE_ADMIN_URL. The application itself never connects as a superuser:
 *
 * - the application's role (DATABASE_URL's user) is an ordinary LOGIN role: no superuser, no
 *   CREATEROLE, no CREATEDB. It owns the schema `public` and everything the migrations create in
 *   it; the database itself belongs to the superuser, so the application cannot drop it;
 * - extensions the migrations need (postgis, pgcrypto) are created here, which a non-superuser
 *   cannot do for postgis;
 * - the schema `audit` holds append-only tables (the audit trail). It and its tables belong to a
 *   NOLOGIN role, `<app role>_audit`, of which the application's role is no member: the
 *   application may INSERT and SELECT there, never UPDATE, DELETE, TRUNCATE, ALTER or DROP (an
 *   owner could disable a trigger, so ownership is what protects them). While migrations run, the
 *   tables are lent to the application's role and taken back afterwards (`unsealAppendOnlyTables`,
 *   `sealAppendOnlyTables`), so that a migration may still change them.
 */

/** Where the set-up connects: the application's own URL (role, password, database) and the superuser's. */
export interface DatabaseUrls {
  databaseUrl: string;
  databaseAdminUrl: string;
}

/** The schema of the append-only tables. */
export const APPEND_ONLY_SCHEMA = 'audit';

/** Extensions the migrations use; created by the superuser before they run. */
const EXTENSIONS = ['postgis', 'pgcrypto'];

/** Marks the roles the set-up created, and so may keep in shape (password, attributes). */
const ROLE_COMMENT = 'cityops: created by the set-up (cli.js migrate)';

/** The application's role names this role too, with a suffix: a role name is at most 63 bytes. */
const MAX_APP_ROLE_BYTES = 63 - '_audit'.length;

export interface DatabasePreparation {
  /** The database did not exist and was created. */
  databaseCreated: boolean;
  /** The application's role did not exist and was created. */
  roleCreated: boolean;
  /** Objects of an older installation (made by the superuser) handed to the application's role. */
  adopted: number;
  /** What the set-up could not make right and a person should know. */
  warnings: string[];
}

/** The NOLOGIN role that owns the append-only tables of the application whose role is `appRole`. */
export function auditOwnerRole(appRole: string): string {
  return `${appRole}_audit`;
}

/** The application's role, its password and database, from DATABASE_URL; refused when unusable. */
export function applicationRole(urls: DatabaseUrls): { role: string; password: string; database: string } {
  const { user, password, database } = urlParts(urls.databaseUrl);
  if (!user)
    throw new Error('DATABASE_URL names no user: it must name the application’s own role, e.g. postgres://cityops@127.0.0.1/cityops');
  if (Buffer.byteLength(user) > MAX_APP_ROLE_BYTES) throw new Error(`the role in DATABASE_URL is longer than ${MAX_APP_ROLE_BYTES} bytes`);
  if (!/^[a-zA-Z0-9_-]{1,63}$/.test(database)) throw new Error(`Unsupported database name "${database}"`);
  return { role: user, password, database };
}

/**
 * Everything before the migrations, repeatable: the superuser check, the application's role and
 * the audit role, the database, its extensions, the schema `public` and its objects owned by the
 * application's role, the schema `audit`.
 */
export async function prepareDatabase(urls: DatabaseUrls): Promise<DatabasePreparation> {
  const app = applicationRole(urls);
  const audit = auditOwnerRole(app.role);
  const warnings: string[] = [];
  let roleCreated = false;
  let databaseCreated = false;
  await withClient(urls.databaseAdminUrl, async (admin) => {
    const self = await admin.query<{ name: string; rolsuper: boolean }>(
      `SELECT current_user AS name, rolsuper FROM pg_roles WHERE rolname = current_user`,
    );
    if (!self.rows[0]?.rolsuper) {
      throw new Error(
        `DATABASE_ADMIN_URL connects as ${self.rows[0]?.name ?? '?'}, which is not a superuser: the set-up needs one to create ` +
          `the role ${app.role}, its database and the postgis extension (see .env.example)`,
      );
    }
    const adminRole = self.rows[0].name;
    roleCreated = await ensureApplicationRole(admin, app.role, app.password, adminRole, warnings);
    await ensureAuditRole(admin, audit, app.role);
    databaseCreated = await createDatabaseAs(admin, app.database);
    await admin.query(`GRANT CONNECT, CREATE, TEMPORARY ON DATABASE ${ident(admin, app.database)} TO ${ident(admin, app.role)}`);
  });
  let adopted = 0;
  await withClient(withDatabaseName(urls.databaseAdminUrl, app.database), async (admin) => {
    for (const extension of EXTENSIONS) await admin.query(`CREATE EXTENSION IF NOT EXISTS ${extension}`);
    await admin.query(`ALTER SCHEMA public OWNER TO ${ident(admin, app.role)}`);
    adopted = await adoptPublicObjects(admin, app.role);
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${APPEND_ONLY_SCHEMA} AUTHORIZATION ${ident(admin, audit)}`);
    await admin.query(`ALTER SCHEMA ${APPEND_ONLY_SCHEMA} OWNER TO ${ident(admin, audit)}`);
    await admin.query(`GRANT USAGE ON SCHEMA ${APPEND_ONLY_SCHEMA} TO ${ident(admin, app.role)}`);
  });
  return { databaseCreated, roleCreated, adopted, warnings };
}

/** Lends the append-only tables to the application's role while migrations run (they may alter them). */
export async function unsealAppendOnlyTables(urls: DatabaseUrls): Promise<void> {
  const app = applicationRole(urls);
  await withClient(withDatabaseName(urls.databaseAdminUrl, app.database), async (admin) => {
    const role = ident(admin, app.role);
    await admin.query(`GRANT USAGE, CREATE ON SCHEMA ${APPEND_ONLY_SCHEMA} TO ${role}`);
    for (const table of await appendOnlyTables(admin)) await admin.query(`ALTER TABLE ${table} OWNER TO ${role}`);
  });
}

/**
 * Gives every table of the schema `audit` to the audit role and leaves the application INSERT and
 * SELECT on them, nothing else (no CREATE in the schema either). Repeatable.
 */
export async function sealAppendOnlyTables(urls: DatabaseUrls): Promise<void> {
  const app = applicationRole(urls);
  const audit = auditOwnerRole(app.role);
  await withClient(withDatabaseName(urls.databaseAdminUrl, app.database), async (admin) => {
    const role = ident(admin, app.role);
    for (const table of await appendOnlyTables(admin)) {
      await admin.query(`ALTER TABLE ${table} OWNER TO ${ident(admin, audit)}`);
      await admin.query(`REVOKE ALL ON TABLE ${table} FROM PUBLIC, ${role}`);
      await admin.query(`GRANT SELECT, INSERT ON TABLE ${table} TO ${role}`);
    }
    await admin.query(`REVOKE CREATE ON SCHEMA ${APPEND_ONLY_SCHEMA} FROM ${role}`);
  });
}

/**
 * Creates the application's database if missing (owned by the superuser, so the application
 * cannot drop it), copied from `template` when given; the application's role may connect and
 * create schemas in it. The role must exist (prepareDatabase).
 */
export async function ensureDatabase(urls: DatabaseUrls, template?: string): Promise<boolean> {
  const app = applicationRole(urls);
  return withClient(urls.databaseAdminUrl, async (admin) => {
    const created = await createDatabaseAs(admin, app.database, template);
    await admin.query(`GRANT CONNECT, CREATE, TEMPORARY ON DATABASE ${ident(admin, app.database)} TO ${ident(admin, app.role)}`);
    return created;
  });
}

export async function dropDatabase(urls: DatabaseUrls): Promise<void> {
  const { database } = urlParts(urls.databaseUrl);
  await withClient(urls.databaseAdminUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${ident(admin, database)} WITH (FORCE)`);
  });
}

/**
 * A SCRAM-SHA-256 verifier of `password` (RFC 5802/7677, as PostgreSQL stores it): the role's
 * password is set from it, so the password itself never appears in a statement the server might
 * log. With `like`, the salt and iterations of that verifier, to tell whether it holds `password`.
 */
export function scramVerifier(password: string, like?: string): string {
  const parsed = like && /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$/.exec(like);
  const iterations = parsed ? Number(parsed[1]) : 4096;
  const salt = parsed ? Buffer.from(parsed[2], 'base64') : randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

function sameVerifier(stored: string | null, password: string): boolean {
  if (!stored?.startsWith('SCRAM-SHA-256$')) return false;
  const a = Buffer.from(stored);
  const b = Buffer.from(scramVerifier(password, stored));
  return a.length === b.length && timingSafeEqual(a, b);
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'cityops-setup' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function ident(client: Client, name: string): string {
  return client.escapeIdentifier(name);
}

/**
 * Creates the role when missing (LOGIN, nothing more) and keeps a role the set-up created in that
 * shape with DATABASE_URL's password. A role someone else made is used as it is: it may be a
 * person's own account, whose rights and password are not the set-up's to change; a superuser
 * among them is reported (production refuses to run as one).
 */
async function ensureApplicationRole(
  admin: Client,
  role: string,
  password: string,
  adminRole: string,
  warnings: string[],
): Promise<boolean> {
  const found = await admin.query<{
    rolsuper: boolean;
    rolcreaterole: boolean;
    rolpassword: string | null;
    ours: boolean;
    shaped: boolean;
  }>(
    `SELECT rolsuper, rolcreaterole, rolpassword, shobj_description(oid, 'pg_authid') = $2 AS ours,
            rolcanlogin AND NOT (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls) AND rolinherit AS shaped
       FROM pg_authid WHERE rolname = $1`,
    [role, ROLE_COMMENT],
  );
  const shape = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT';
  const setPassword = password ? ` PASSWORD ${admin.escapeLiteral(scramVerifier(password))}` : '';
  if (found.rows.length === 0) {
    await admin.query(`CREATE ROLE ${ident(admin, role)} ${shape}${setPassword}`);
    await admin.query(`COMMENT ON ROLE ${ident(admin, role)} IS ${admin.escapeLiteral(ROLE_COMMENT)}`);
    return true;
  }
  const existing = found.rows[0];
  if (existing.ours) {
    // Only what differs: several set-ups (test suites) may run at once, and two ALTERs of one role collide.
    if (!existing.shaped) await admin.query(`ALTER ROLE ${ident(admin, role)} ${shape}`);
    if (password && !sameVerifier(existing.rolpassword, password)) await admin.query(`ALTER ROLE ${ident(admin, role)}${setPassword}`);
  } else if (existing.rolsuper || existing.rolcreaterole) {
    warnings.push(
      `DATABASE_URL connects as ${role}, ${role === adminRole ? 'the set-up’s own superuser' : existing.rolsuper ? 'a superuser' : 'a role with CREATEROLE'}: ` +
        'the application then has more rights than it needs, and the audit trail is not protected from it (NODE_ENV=production refuses to run so). ' +
        'Point DATABASE_URL at a role of its own, e.g. postgres://cityops@<host>/<database>: the set-up creates it.',
    );
  }
  return false;
}

/** The owner of the append-only tables: never logs in, and the application's role is no member of it. */
async function ensureAuditRole(admin: Client, audit: string, appRole: string): Promise<void> {
  const found = await admin.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [audit]);
  if (found.rows.length === 0) {
    await admin.query(`CREATE ROLE ${ident(admin, audit)} NOLOGIN`);
    await admin.query(`COMMENT ON ROLE ${ident(admin, audit)} IS ${admin.escapeLiteral(`${ROLE_COMMENT}: owns the append-only tables`)}`);
  }
  const member = await admin.query(
    `SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
      WHERE r.rolname = $1 AND u.rolname = $2`,
    [audit, appRole],
  );
  if (member.rows.length > 0) await admin.query(`REVOKE ${ident(admin, audit)} FROM ${ident(admin, appRole)}`);
}

async function createDatabaseAs(admin: Client, name: string, template?: string): Promise<boolean> {
  const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (found.rows.length) return false;
  await admin.query(`CREATE DATABASE ${ident(admin, name)}${template ? ` TEMPLATE ${ident(admin, template)}` : ''}`);
  return true;
}

/**
 * An installation from before the application had its own role has its tables, sequences and
 * functions owned by the superuser: they go to the application's role (extensions' objects stay
 * where they are). Answers how many were handed over.
 */
async function adoptPublicObjects(admin: Client, role: string): Promise<number> {
  const notExtension = (catalog: string) =>
    `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = o.oid AND d.deptype = 'e')`;
  const { rows } = await admin.query<{ statement: string }>(
    `SELECT format('ALTER %s %s OWNER TO %I',
                   CASE o.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
                   o.oid::regclass, $1::text) AS statement
       FROM pg_class o
      WHERE o.relnamespace = 'public'::regnamespace AND o.relowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)
        AND o.relkind IN ('r', 'p', 'v', 'm', 'S')
        -- a sequence that belongs to a column moves with its table
        AND NOT (o.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = o.oid AND d.deptype IN ('a', 'i')))
        AND ${notExtension('pg_class')}
     UNION ALL
     SELECT format('ALTER ROUTINE %s OWNER TO %I', o.oid::regprocedure, $1::text)
       FROM pg_proc o
      WHERE o.pronamespace = 'public'::regnamespace AND o.proowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)
        AND ${notExtension('pg_proc')}`,
    [role],
  );
  for (const { statement } of rows) await admin.query(statement);
  return rows.length;
}

async function appendOnlyTables(admin: Client): Promise<string[]> {
  const { rows } = await admin.query<{ name: string }>(
    `SELECT oid::regclass::text AS name FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind IN ('r', 'p') ORDER BY 1`,
    [APPEND_ONLY_SCHEMA],
  );
  return rows.map((r) => r.name);
}
