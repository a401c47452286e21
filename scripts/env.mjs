// Loads cityops' settings for the bash scripts (scripts/lib.sh `load_env` evals what this prints):
//
//   node scripts/env.mjs [--dir DIR]     DIR defaults to the repository root
//
// - creates .env from .env.example when it is missing (mode 0600: it holds secrets);
// - gives every empty or missing secret a random value, written into .env in place, so the same
//   secrets survive restarts (tokens issued before stay valid);
// - moves an older .env whose DATABASE_URL connects as the superuser `postgres` to the application's
//   own role (see migrateDatabaseUrl);
// - prints one shell-quoted `export KEY='value'` line per setting: .env's values, and the
//   .env.example default for a key an older .env lacks. A key already in the environment is not
//   printed, so the environment wins over both files.
// Messages go to stderr. Parsing is Node's own (util.parseEnv, the parser behind --env-file), so
// the scripts and `node --env-file=.env` read the file the same way.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import util from 'node:util';

/** Settings that must never stay empty: generated on first use, then kept in .env. */
export const SECRET_KEYS = ['JWT_SECRET', 'SECRETS_KEY', 'KIOSK_TOKEN', 'SIMULATOR_TOKEN', 'DATABASE_PASSWORD'];

/** The application's role an older .env's superuser URL is moved to (as in .env.example). */
export const APPLICATION_ROLE = 'cityops';

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses dotenv text with Node's parser (the last assignment of a key wins).
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseDotenv(text) {
  return util.parseEnv(text);
}

/**
 * Gives each of `keys` that is empty or missing in `text` the value `newSecret()`: its lines are
 * replaced, a missing key is appended. Everything else (comments, order, quoting) is kept.
 * Returns the new text and the keys it filled.
 * @param {string} text
 * @param {readonly string[]} keys
 * @param {() => string} newSecret
 * @returns {{ text: string, filled: string[] }}
 */
export function fillSecrets(text, keys, newSecret) {
  const parsed = parseDotenv(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  /** @type {string[]} */
  const filled = [];
  for (const key of keys) {
    if (parsed[key]) continue;
    const value = newSecret();
    const assignment = new RegExp(`^\\s*(?:export\\s+)?${key}\\s*=`);
    let found = false;
    for (let i = 0; i < lines.length; i++) {
      if (assignment.test(lines[i])) {
        lines[i] = `${key}=${value}`;
        found = true;
      }
    }
    if (!found) lines.push(`${key}=${value}`);
    filled.push(key);
  }
  return { text: filled.length ? lines.join(eol) + eol : text, filled };
}

/**
 * An .env from before the application had its own role connects as `postgres`, a superuser, which
 * production refuses and the audit trail cannot be protected from. Such a DATABASE_URL becomes the
 * same URL as the role `cityops` (its password: DATABASE_PASSWORD), and the old one, in database
 * `postgres`, becomes DATABASE_ADMIN_URL, which only the set-up uses: it creates the role and
 * hands it the existing tables. Left alone: an .env that already has DATABASE_ADMIN_URL, or whose
 * DATABASE_URL names another user (someone chose it), and everything else in the file.
 * @param {string} text
 * @returns {{ text: string, moved: boolean }}
 */
export function migrateDatabaseUrl(text) {
  const parsed = parseDotenv(text);
  const current = parsed.DATABASE_URL;
  if (!current || Object.hasOwn(parsed, 'DATABASE_ADMIN_URL')) return { text, moved: false };
  let app;
  let admin;
  try {
    app = new URL(current);
    admin = new URL(current);
  } catch {
    return { text, moved: false };
  }
  if (decodeURIComponent(app.username) !== 'postgres') return { text, moved: false };
  app.username = APPLICATION_ROLE;
  app.password = '';
  admin.pathname = '/postgres';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const assignment = /^\s*(?:export\s+)?DATABASE_URL\s*=/;
  const replaced = lines.map((line) => (assignment.test(line) ? `DATABASE_URL=${app.toString()}` : line));
  replaced.push(
    '# Added by the set-up: DATABASE_URL connected as the superuser postgres; the application now has a role of its own',
    '# (DATABASE_URL above, password DATABASE_PASSWORD), and the superuser serves the set-up only (see .env.example).',
    `DATABASE_ADMIN_URL=${admin.toString()}`,
  );
  return { text: replaced.join(eol) + eol, moved: true };
}

/**
 * What to export: every key of `dotenv`, then each key of `example` that `dotenv` lacks (an .env
 * made before the key was added to .env.example), except keys present in `environment` (even
 * empty: set means chosen). Keys that are not shell variable names are skipped.
 * @param {{ dotenv: Record<string, string>, example: Record<string, string>, environment: Record<string, string | undefined> }} sources
 * @returns {{ values: Map<string, string>, kept: string[], defaulted: string[], skipped: string[] }}
 */
export function mergeEnv({ dotenv, example, environment }) {
  /** @type {Map<string, string>} */
  const values = new Map();
  /** @type {string[]} */
  const kept = [];
  /** @type {string[]} */
  const defaulted = [];
  /** @type {string[]} */
  const skipped = [];
  /** @type {(key: string, value: string, fromExample: boolean) => void} */
  const consider = (key, value, fromExample) => {
    if (values.has(key) || kept.includes(key) || skipped.includes(key)) return;
    if (!SHELL_NAME.test(key)) skipped.push(key);
    else if (Object.hasOwn(environment, key)) kept.push(key);
    else {
      values.set(key, value);
      if (fromExample) defaulted.push(key);
    }
  };
  for (const [key, value] of Object.entries(dotenv)) consider(key, value, false);
  for (const [key, value] of Object.entries(example)) {
    if (!Object.hasOwn(dotenv, key)) consider(key, value, true);
  }
  return { values, kept, defaulted, skipped };
}

/**
 * A POSIX shell word that stands for `value` exactly (single quotes, `'` as '\'').
 * @param {string} value
 */
export function shellQuote(value) {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** @param {Map<string, string>} values */
export function exportLines(values) {
  return [...values].map(([key, value]) => `export ${key}=${shellQuote(value)}\n`).join('');
}

/** @param {string} message */
function say(message) {
  process.stderr.write(`[cityops] ${message}\n`);
}

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  process.stderr.write(`[cityops] error: ${message}\n`);
  process.exit(1);
}

/** @param {string[]} argv */
function main(argv) {
  if (typeof util.parseEnv !== 'function') {
    fail(`Node.js ${process.versions.node} is too old: cityops needs Node.js 20.19 or newer (engines in package.json)`);
  }
  let dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  if (argv[0] === '--dir' && argv[1]) dir = path.resolve(argv[1]);
  else if (argv.length) fail(`usage: node scripts/env.mjs [--dir DIR] (got: ${argv.join(' ')})`);

  const envFile = path.join(dir, '.env');
  const exampleFile = path.join(dir, '.env.example');
  const exampleText = existsSync(exampleFile) ? readFileSync(exampleFile, 'utf8') : null;
  let created = false;
  if (!existsSync(envFile)) {
    if (exampleText === null) fail(`neither .env nor .env.example exists in ${dir}`);
    writeFileSync(envFile, exampleText, { mode: 0o600, flag: 'wx' });
    created = true;
  }

  // Written in place (same file, same permissions), and only when something was missing.
  const original = readFileSync(envFile, 'utf8');
  const migrated = migrateDatabaseUrl(original);
  const { text, filled } = fillSecrets(migrated.text, SECRET_KEYS, () => randomBytes(32).toString('hex'));
  if (text !== original) writeFileSync(envFile, text);
  if (migrated.moved) {
    say(
      `.env: DATABASE_URL connected as the superuser postgres; it now names the application's own role ${APPLICATION_ROLE}, ` +
        `which the set-up creates and hands the existing tables, and the superuser moved to DATABASE_ADMIN_URL (set-up only)`,
    );
  }
  const generated = filled.length ? `generated ${filled.join(', ')}` : 'no secrets to generate';
  if (created) say(`.env created from .env.example (${generated})`);
  else if (filled.length) say(`.env: ${generated}`);

  const { values, kept, defaulted, skipped } = mergeEnv({
    dotenv: parseDotenv(text),
    example: exampleText === null ? {} : parseDotenv(exampleText),
    environment: process.env,
  });
  if (skipped.length) say(`ignored in .env: ${skipped.join(', ')} (not valid variable names)`);
  if (defaulted.length) {
    say(`.env lacks ${defaulted.join(', ')}: using the defaults of .env.example (copy them into .env to change them)`);
  }
  say(kept.length ? `env loaded from .env (kept from the environment: ${kept.join(', ')})` : 'env loaded from .env');
  process.stdout.write(exportLines(values));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
