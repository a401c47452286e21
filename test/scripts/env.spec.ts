import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// scripts/env.mjs is what `npm start`, `npm test` and `npm run dev` load .env with (scripts/lib.sh
// evals what it prints). It runs here as the scripts run it: a Node process in a folder.
const script = path.resolve(__dirname, '../../scripts/env.mjs');
const secret = /^[0-9a-f]{64}$/;

const EXAMPLE = [
  '# comment kept as it is',
  'PORT=3000',
  'DATABASE_URL=postgres://cityops@127.0.0.1:5432/cityops',
  'DATABASE_PASSWORD=',
  'DATABASE_ADMIN_URL=',
  'JWT_SECRET=',
  'SECRETS_KEY=',
  'KIOSK_TOKEN=',
  'SIMULATOR_TOKEN=',
  'LOG_LEVEL=info',
  '',
].join('\n');

let dirs: string[] = [];

function folder(files: { example?: string; env?: string }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cityops-env-'));
  dirs.push(dir);
  if (files.example !== undefined) writeFileSync(path.join(dir, '.env.example'), files.example);
  if (files.env !== undefined) writeFileSync(path.join(dir, '.env'), files.env);
  return dir;
}

/** The environment of a run: only what a test gives, plus PATH to find bash. */
function runEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, ...extra };
}

/** Runs env.mjs in `dir` and returns what bash has after eval'ing its output. */
function loaded(dir: string, env: Record<string, string> = {}): Record<string, string> {
  const out = execFileSync('bash', ['-c', 'eval "$("$0" "$1" --dir "$2")" && env -0', process.execPath, script, dir], {
    env: runEnv(env),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const vars: Record<string, string> = {};
  for (const entry of out.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) vars[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return vars;
}

function messages(dir: string, env: Record<string, string> = {}): string {
  return spawnSync(process.execPath, [script, '--dir', dir], { env: runEnv(env), encoding: 'utf8' }).stderr;
}

function parseEnvValue(text: string, key: string): string | undefined {
  return new RegExp(`^${key}=(.*)$`, 'm').exec(text)?.[1];
}

function dotenv(dir: string): string {
  return readFileSync(path.join(dir, '.env'), 'utf8');
}

afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe('scripts/env.mjs (loading .env for the set-up scripts)', () => {
  it('creates .env from .env.example, readable only by its owner, with generated secrets and everything else as it was', () => {
    const dir = folder({ example: EXAMPLE });

    const vars = loaded(dir);

    const text = dotenv(dir);
    expect(statSync(path.join(dir, '.env')).mode & 0o777).toBe(0o600);
    expect(vars.JWT_SECRET).toMatch(secret);
    expect(vars.SECRETS_KEY).toMatch(secret);
    expect(vars.KIOSK_TOKEN).toMatch(secret);
    expect(vars.SIMULATOR_TOKEN).toMatch(secret);
    expect(vars.DATABASE_PASSWORD).toMatch(secret);
    expect(new Set([vars.JWT_SECRET, vars.SECRETS_KEY, vars.KIOSK_TOKEN, vars.SIMULATOR_TOKEN, vars.DATABASE_PASSWORD]).size).toBe(5);
    expect(text).toBe(
      EXAMPLE.replace('DATABASE_PASSWORD=', `DATABASE_PASSWORD=${vars.DATABASE_PASSWORD}`)
        .replace('JWT_SECRET=', `JWT_SECRET=${vars.JWT_SECRET}`)
        .replace('SECRETS_KEY=', `SECRETS_KEY=${vars.SECRETS_KEY}`)
        .replace('KIOSK_TOKEN=', `KIOSK_TOKEN=${vars.KIOSK_TOKEN}`)
        .replace('SIMULATOR_TOKEN=', `SIMULATOR_TOKEN=${vars.SIMULATOR_TOKEN}`),
    );
    expect(vars).toMatchObject({
      PORT: '3000',
      LOG_LEVEL: 'info',
      DATABASE_URL: 'postgres://cityops@127.0.0.1:5432/cityops',
      DATABASE_ADMIN_URL: '',
    });
  });

  it('keeps the secrets of an existing .env, so a second run changes nothing', () => {
    const dir = folder({ example: EXAMPLE });
    const first = loaded(dir);
    const before = dotenv(dir);

    const second = loaded(dir);

    expect(dotenv(dir)).toBe(before);
    expect(second.JWT_SECRET).toBe(first.JWT_SECRET);
    expect(second.KIOSK_TOKEN).toBe(first.KIOSK_TOKEN);
  });

  it('fills an emptied or missing secret in place, keeping the file, its permissions and the other lines', () => {
    const dir = folder({
      example: EXAMPLE,
      env: '# mine\nJWT_SECRET=keep-this-one-that-is-long-enough-32\nKIOSK_TOKEN=  # emptied\nPORT=3100\n',
    });
    const file = path.join(dir, '.env');
    chmodSync(file, 0o640);
    const inode = statSync(file).ino;

    const vars = loaded(dir);

    expect(statSync(file).ino).toBe(inode);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(vars.JWT_SECRET).toBe('keep-this-one-that-is-long-enough-32');
    expect(vars.KIOSK_TOKEN).toMatch(secret);
    expect(vars.SIMULATOR_TOKEN).toMatch(secret);
    expect(dotenv(dir)).toBe(
      `# mine\nJWT_SECRET=keep-this-one-that-is-long-enough-32\nKIOSK_TOKEN=${vars.KIOSK_TOKEN}\nPORT=3100\nSECRETS_KEY=${vars.SECRETS_KEY}\n` +
        `SIMULATOR_TOKEN=${vars.SIMULATOR_TOKEN}\nDATABASE_PASSWORD=${vars.DATABASE_PASSWORD}\n`,
    );
  });

  it.each([
    ['the environment wins over .env', { PORT: '3107' }, 'PORT', '3107'],
    ['the environment wins even when it sets a key to empty', { LOG_LEVEL: '' }, 'LOG_LEVEL', ''],
    ['.env wins over .env.example', {}, 'PORT', '3100'],
    ['a key an older .env lacks takes its .env.example default', {}, 'LOG_LEVEL', 'info'],
    ['the environment wins over that default too', { LOG_LEVEL: 'debug' }, 'LOG_LEVEL', 'debug'],
  ])('%s', (_name, environment, key, expected) => {
    const dir = folder({
      example: EXAMPLE,
      env: 'PORT=3100\nJWT_SECRET=x\nSECRETS_KEY=w\nKIOSK_TOKEN=y\nSIMULATOR_TOKEN=z\nDATABASE_PASSWORD=v\n',
    });

    expect(loaded(dir, environment)[key]).toBe(expected);
  });

  it('says which keys came from the environment and which from the defaults', () => {
    const dir = folder({ example: EXAMPLE, env: 'PORT=3100\nJWT_SECRET=x\nKIOSK_TOKEN=y\nSIMULATOR_TOKEN=z\n' });

    const said = messages(dir, { PORT: '3107' });

    expect(said).toContain('.env lacks DATABASE_ADMIN_URL, DATABASE_URL, LOG_LEVEL: using the defaults of .env.example');
    expect(said).toContain('kept from the environment: PORT');
  });

  it('hands values to the shell exactly: quotes, dollars, backslashes, spaces, # and new lines', () => {
    const dir = folder({
      example: EXAMPLE,
      env: [
        `SINGLE="it's $HOME \\ \`x\`"`,
        `DOUBLE='say "hi"; echo $(id)'`,
        'SPACES=  a  b  # a comment',
        'HASH="a # b"',
        'EXPORTED_FORM=1',
        'export ALSO=2',
        'LINES="one\ntwo"',
        'JWT_SECRET=x',
        'KIOSK_TOKEN=y',
        'SIMULATOR_TOKEN=z',
        '',
      ].join('\n'),
    });

    const vars = loaded(dir, { HOME: '/not-expanded' });

    expect(vars).toMatchObject({
      SINGLE: "it's $HOME \\ `x`",
      DOUBLE: 'say "hi"; echo $(id)',
      SPACES: 'a  b',
      HASH: 'a # b',
      EXPORTED_FORM: '1',
      ALSO: '2',
      LINES: 'one\ntwo',
    });
  });

  it("moves an older .env that connects as the superuser postgres to the application's own role, once, keeping the rest", () => {
    const older = '# mine\nDATABASE_URL=postgres://postgres:pw@127.0.0.1:5433/cityops\nPORT=3100\n';
    const dir = folder({ example: EXAMPLE, env: older });

    const said = messages(dir);
    const vars = loaded(dir);

    expect(said).toContain("DATABASE_URL connected as the superuser postgres; it now names the application's own role cityops");
    expect(vars).toMatchObject({
      DATABASE_URL: 'postgres://cityops@127.0.0.1:5433/cityops',
      // The superuser, with its password, for the set-up only.
      DATABASE_ADMIN_URL: 'postgres://postgres:pw@127.0.0.1:5433/postgres',
      PORT: '3100',
    });
    expect(vars.DATABASE_PASSWORD).toMatch(secret);
    const text = dotenv(dir);
    expect(text.startsWith('# mine\nDATABASE_URL=postgres://cityops@127.0.0.1:5433/cityops\nPORT=3100\n')).toBe(true);
    expect(messages(dir)).not.toContain('superuser');
    expect(dotenv(dir)).toBe(text);
  });

  it.each([
    ['names another user', 'DATABASE_URL=postgres://alice@127.0.0.1/cityops\n'],
    ['already has DATABASE_ADMIN_URL', 'DATABASE_URL=postgres://postgres@127.0.0.1/cityops\nDATABASE_ADMIN_URL=\n'],
  ])('leaves DATABASE_URL as it is when the .env %s', (_name, env) => {
    const dir = folder({ example: EXAMPLE, env });

    const vars = loaded(dir);

    expect(vars.DATABASE_URL).toBe(parseEnvValue(env, 'DATABASE_URL'));
    expect(dotenv(dir).startsWith(env)).toBe(true);
  });

  it('stops with a clear error when neither .env nor .env.example exists', () => {
    const dir = folder({});

    const run = spawnSync(process.execPath, [script, '--dir', dir], { env: runEnv(), encoding: 'utf8' });

    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`error: neither .env nor .env.example exists in ${dir}`);
  });
});
