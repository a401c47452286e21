import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * The rules of docs/architecture.md that a reader could break without noticing, checked on the
 * source: SQL only in repositories (and the database plumbing of libs/core), each table read and
 * written only by the lib that owns it, libs never importing apps, and libs reaching each other
 * only through their public index.
 */

const ROOT = join(__dirname, '..', '..');

/** Which lib owns which table; every table of the schema must be listed (checked below). */
const TABLE_OWNERS: Record<string, string> = {
  area: 'geo',
  zone_set: 'geo',
  feed: 'feeds',
  department: 'feeds',
  observation: 'feeds',
  observation_default: 'feeds',
  rejected_record: 'feeds',
  entity: 'feeds',
  entity_history: 'feeds',
  connector_state: 'feeds',
  indicator: 'indicators',
  indicator_value: 'indicators',
  indicator_latest: 'indicators',
  indicator_value_default: 'indicators',
  indicator_value_1m: 'indicators',
  indicator_value_1m_default: 'indicators',
  indicator_value_1h: 'indicators',
  indicator_rollup_watermark: 'indicators',
  alert: 'alerts',
  alert_event: 'alerts',
  alert_silence: 'alerts',
  app_user: 'identity',
  api_token: 'identity',
  auth_session: 'identity',
  feed_key: 'identity',
  display_device: 'identity',
  audit_event: 'identity',
  scene: 'scenes',
  wall_playlist: 'scenes',
  webhook: 'notifications',
  webhook_delivery: 'notifications',
  webhook_delivery_attempt: 'notifications',
  city_case: 'cases',
  case_event: 'cases',
  case_photo: 'cases',
  case_category: 'cases',
  case_category_group: 'cases',
  case_routing_rule: 'cases',
  case_code_counter: 'cases',
  working_calendar: 'cases',
  working_calendar_day: 'cases',
  case_detection_source: 'cases',
  case_detection: 'cases',
  open311_api_key: 'cases',
};

/** Files (relative to the root) allowed to run SQL without being a repository: the connection's owner. */
const SQL_PLUMBING = ['libs/core/src/database/'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.(spec|integration-spec|e2e-spec)\.tsx?$/.test(entry.name) ? [path.split(sep).join('/')] : [];
  });
}

const serverFiles = [...sourceFiles('apps/api/src'), ...sourceFiles('apps/worker/src'), ...sourceFiles('libs')];
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const libOf = (file: string) => /^libs\/([^/]+)\//.exec(file)?.[1] ?? null;

/** `import … from 'x'`, `export … from 'x'` and `import('x')` specifiers of a file. */
function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'([^']+)'/g)].map((m) => m[1]);
}

/** Tables a statement names after FROM, JOIN, INTO, UPDATE, TABLE or COPY (with or without their schema: `audit.audit_event`). */
function tablesNamed(text: string): string[] {
  return [...text.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|TABLE|COPY)\s+(?:ONLY\s+)?(?:[a-z_][a-z0-9_]*\.)?([a-z_][a-z0-9_]*)/g)].map(
    (m) => m[1],
  );
}

describe('architecture', () => {
  it('knows the owner of every table the migrations create', () => {
    const created = new Set(
      sourceFiles('migrations').flatMap((file) =>
        [...read(file).matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(?:[a-z_]+\.)?([a-z_][a-z0-9_]*)/g)].map((m) => m[1]),
      ),
    );
    expect([...created].filter((table) => !(table in TABLE_OWNERS))).toEqual([]);
    expect(Object.keys(TABLE_OWNERS).filter((table) => !created.has(table))).toEqual([]);
  });

  it('runs SQL only in repositories (and the database plumbing of libs/core)', () => {
    const offenders = serverFiles.filter(
      (file) => /\.query\s*[<(]/.test(read(file)) && !file.endsWith('.repository.ts') && !SQL_PLUMBING.some((dir) => file.startsWith(dir)),
    );
    expect(offenders).toEqual([]);
  });

  it("lets each lib's repositories touch only the tables that lib owns", () => {
    const trespasses = serverFiles
      .filter((file) => file.endsWith('.repository.ts') && libOf(file) !== null && libOf(file) !== 'core')
      .flatMap((file) =>
        tablesNamed(read(file))
          .filter((table) => table in TABLE_OWNERS && TABLE_OWNERS[table] !== libOf(file))
          .map((table) => `${file}: ${table} (owned by ${TABLE_OWNERS[table]})`),
      );
    expect([...new Set(trespasses)]).toEqual([]);
  });

  it('keeps the libs free of the apps, and reaches another lib only through its index', () => {
    const problems = serverFiles
      .filter((file) => file.startsWith('libs/'))
      .flatMap((file) =>
        importsOf(read(file)).flatMap((spec) => {
          if (/(^|\/)apps\//.test(spec)) return [`${file} imports an app: ${spec}`];
          if (/^@cityops\/[^/]+\//.test(spec)) return [`${file} reaches inside a lib: ${spec}`];
          if (spec.startsWith('.')) {
            const target = relative(ROOT, join(ROOT, file, '..', spec))
              .split(sep)
              .join('/');
            // The database module loads the migrations: the one folder outside the libs a lib may read.
            if (target === 'migrations') return [];
            if (libOf(`${target}/`) !== libOf(file)) return [`${file} imports another lib by path: ${spec}`];
          }
          return [];
        }),
      );
    expect(problems).toEqual([]);
  });

  it('keeps the shared contracts free of Nest and TypeORM, so the web app can use them', () => {
    const contractImports = sourceFiles('libs/contracts/src').flatMap((file) =>
      importsOf(read(file)).filter((spec) => !spec.startsWith('.')),
    );
    expect([...new Set(contractImports)]).toEqual(['zod']);
  });
});
