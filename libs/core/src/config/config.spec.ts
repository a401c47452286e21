import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { envSchema } from './config.schema';

const valid = { JWT_SECRET: 'x'.repeat(32), SECRETS_KEY: 'y'.repeat(32) };
const production = { ...valid, NODE_ENV: 'production', ADMIN_PASSWORD: 'a-password-of-our-own' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: 'postgres://cityops@127.0.0.1:5432/cityops',
      databaseAdminUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      redis: { url: 'redis://127.0.0.1:6379/0', prefix: 'cityops' },
      adminPassword: 'cityops-demo',
      simulator: { enabled: true, intervalMs: 3000, runners: 20000 },
      ingestMaxBodyBytes: 10 * 1024 * 1024,
      ingestMaxStreamBytes: 256 * 1024 * 1024,
      ingestMaxStreamRecords: 1_000_000,
    });
    expect(config.basemapStyleUrl).toBeUndefined();
  });

  it("connects as the application's own role, with DATABASE_PASSWORD when its URL carries none, and leaves the superuser to the set-up", () => {
    expect(loadConfig({ ...valid, DATABASE_PASSWORD: 's3cret/pw' }).databaseUrl).toBe(
      'postgres://cityops:s3cret%2Fpw@127.0.0.1:5432/cityops',
    );
    // A password in the URL is the one meant.
    expect(
      loadConfig({ ...valid, DATABASE_URL: 'postgres://app:own@db.internal:6432/city?sslmode=require', DATABASE_PASSWORD: 'other' }),
    ).toMatchObject({
      databaseUrl: 'postgres://app:own@db.internal:6432/city?sslmode=require',
      // Unset: the same server, as postgres, in database postgres (no password: the URL's belongs to the application's role).
      databaseAdminUrl: 'postgres://postgres@db.internal:6432/postgres?sslmode=require',
    });
    expect(loadConfig({ ...valid, DATABASE_ADMIN_URL: 'postgres://root:pw@127.0.0.1/postgres' }).databaseAdminUrl).toBe(
      'postgres://root:pw@127.0.0.1/postgres',
    );
    expect(loadConfig({ ...valid, DATABASE_PASSWORD: '', DATABASE_ADMIN_URL: '' })).toMatchObject({
      databaseUrl: 'postgres://cityops@127.0.0.1:5432/cityops',
      databaseAdminUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
    });
  });

  it('lists every bad or missing variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_PREFIX: 'has space', SIMULATOR_ENABLED: 'yes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(problems.sort()).toEqual(['DATABASE_URL', 'JWT_SECRET', 'PORT', 'REDIS_PREFIX', 'SECRETS_KEY', 'SIMULATOR_ENABLED']);
  });

  it('refuses to run production with the demo admin password', () => {
    expect(() => loadConfig({ ...valid, NODE_ENV: 'production' })).toThrow(/ADMIN_PASSWORD: is the demo default/);
    expect(() => loadConfig({ ...valid, NODE_ENV: 'production', ADMIN_PASSWORD: 'cityops-demo' })).toThrow(ConfigError);
    expect(loadConfig(production).adminPassword).toBe('a-password-of-our-own');
    // A laptop or a test run may keep it.
    expect(loadConfig(valid).adminPassword).toBe('cityops-demo');
  });

  it('never puts a secret value in its error message', () => {
    try {
      loadConfig({ JWT_SECRET: 'short-secret-value' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect((e as Error).message).toContain('JWT_SECRET');
      expect((e as Error).message).not.toContain('short-secret-value');
    }
  });

  it('serves the API description except in production, unless told otherwise', () => {
    expect(loadConfig(valid).apiDocsEnabled).toBe(true);
    expect(loadConfig(production).apiDocsEnabled).toBe(false);
    expect(loadConfig({ ...production, API_DOCS_ENABLED: 'true' }).apiDocsEnabled).toBe(true);
    expect(loadConfig({ ...valid, API_DOCS_ENABLED: 'false' }).apiDocsEnabled).toBe(false);
    expect(loadConfig({ ...valid, API_DOCS_ENABLED: '' }).apiDocsEnabled).toBe(true);
  });

  it("points the simulator at this machine's API on PORT unless told otherwise", () => {
    expect(loadConfig({ ...valid, PORT: '3107' }).simulator.apiUrl).toBe('http://127.0.0.1:3107');
    expect(loadConfig({ ...valid, PORT: '3107', SIMULATOR_API_URL: '' }).simulator.apiUrl).toBe('http://127.0.0.1:3107');
    expect(loadConfig({ ...valid, SIMULATOR_API_URL: 'https://api.example.org' }).simulator.apiUrl).toBe('https://api.example.org');
  });

  it('simulates the demo city’s department feeds unless SIMULATOR_CITY_ENABLED is false', () => {
    expect(loadConfig(valid).simulator.cityEnabled).toBe(true);
    expect(loadConfig({ ...valid, SIMULATOR_CITY_ENABLED: 'false' }).simulator.cityEnabled).toBe(false);
  });

  it('files 60 simulated cases an hour unless SIMULATOR_CASES_PER_HOUR says otherwise (0: none), and refuses a negative pace', () => {
    expect(loadConfig(valid).simulator.casesPerHour).toBe(60);
    expect(loadConfig({ ...valid, SIMULATOR_CASES_PER_HOUR: '0' }).simulator.casesPerHour).toBe(0);
    expect(() => loadConfig({ ...valid, SIMULATOR_CASES_PER_HOUR: '-1' })).toThrow(/SIMULATOR_CASES_PER_HOUR/);
  });

  it('treats empty optional variables as unset', () => {
    expect(loadConfig({ ...valid, KIOSK_TOKEN: '', BASEMAP_STYLE_URL: '' })).toMatchObject({
      kioskToken: undefined,
      basemapStyleUrl: undefined,
    });
  });

  describe('BASEMAP_ARCHIVE', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'cityops-basemap-'));
      writeFileSync(join(dir, 'city.mbtiles'), 'x');
      writeFileSync(join(dir, 'city.PMTiles'), 'x');
      writeFileSync(join(dir, 'city.geojson'), 'x');
      mkdirSync(join(dir, 'folder.mbtiles'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('is unset by default, and empty means unset', () => {
      expect(loadConfig(valid).basemap.archive).toBeUndefined();
      expect(loadConfig({ ...valid, BASEMAP_ARCHIVE: '' }).basemap.archive).toBeUndefined();
    });

    it('takes a readable .mbtiles or .pmtiles file and knows its kind from the name', () => {
      expect(loadConfig({ ...valid, BASEMAP_ARCHIVE: join(dir, 'city.mbtiles') }).basemap.archive).toEqual({
        path: join(dir, 'city.mbtiles'),
        kind: 'mbtiles',
      });
      expect(loadConfig({ ...valid, BASEMAP_ARCHIVE: join(dir, 'city.PMTiles') }).basemap.archive?.kind).toBe('pmtiles');
    });

    it.each([
      ['a file that does not exist', 'missing.mbtiles', /BASEMAP_ARCHIVE: .*missing\.mbtiles does not exist/],
      ['a folder', 'folder.mbtiles', /BASEMAP_ARCHIVE: .*folder\.mbtiles is not a file/],
      ['an unknown kind of file', 'city.geojson', /BASEMAP_ARCHIVE: must end with \.mbtiles or \.pmtiles/],
    ])('refuses %s, saying why', (_case, name, message) => {
      expect(() => loadConfig({ ...valid, BASEMAP_ARCHIVE: join(dir, name) })).toThrow(message);
    });

    it('refuses a file it may not read', () => {
      const locked = join(dir, 'locked.mbtiles');
      writeFileSync(locked, 'x');
      chmodSync(locked, 0o000);
      // root reads any file: the check can only be seen failing as another user.
      const canStillRead = (() => {
        try {
          accessSync(locked, constants.R_OK);
          return true;
        } catch {
          return false;
        }
      })();
      if (canStillRead) expect(loadConfig({ ...valid, BASEMAP_ARCHIVE: locked }).basemap.archive?.kind).toBe('mbtiles');
      else expect(() => loadConfig({ ...valid, BASEMAP_ARCHIVE: locked })).toThrow(/BASEMAP_ARCHIVE: .* is not readable/);
    });

    it('checks BASEMAP_FONT the same way', () => {
      expect(() => loadConfig({ ...valid, BASEMAP_FONT: join(dir, 'missing.ttc') })).toThrow(/BASEMAP_FONT: .* does not exist/);
      expect(() => loadConfig({ ...valid, BASEMAP_FONT: join(dir, 'city.mbtiles') })).toThrow(/BASEMAP_FONT: must end with/);
    });
  });

  it('reads the edge settings: address lists, origins and rate limits, all off or empty by default', () => {
    expect(loadConfig(valid)).toMatchObject({
      trustedProxies: [],
      metrics: { token: undefined, allow: [] },
      connectorAllowHosts: [],
      frameAncestors: [],
      rateLimits: { signInPerUser: 10, signInPerAddress: 30, writes: 600, ingest: 12000, open311PerAddress: 30, open311PerKey: 600 },
    });
    const config = loadConfig({
      ...valid,
      TRUSTED_PROXIES: '10.0.0.5, 10.1.0.0/16',
      METRICS_TOKEN: 'metrics-token-0123456789',
      METRICS_ALLOW: '127.0.0.1,::1',
      CONNECTOR_ALLOW_HOSTS: 'Sensors.Internal,192.168.10.0/24',
      CSP_FRAME_ANCESTORS: 'https://portal.example.org/',
      RATE_LIMIT_INGEST_PER_MINUTE: '0',
    });
    expect(config).toMatchObject({
      trustedProxies: ['10.0.0.5', '10.1.0.0/16'],
      metrics: { token: 'metrics-token-0123456789', allow: ['127.0.0.1', '::1'] },
      connectorAllowHosts: ['sensors.internal', '192.168.10.0/24'],
      frameAncestors: ['https://portal.example.org'],
      rateLimits: { ingest: 0 },
    });
  });

  it('escalates unacknowledged critical alerts after 5 minutes unless told otherwise, fractions of a minute allowed', () => {
    expect(loadConfig(valid).alertEscalationMs).toBe(300_000);
    expect(loadConfig({ ...valid, ALERT_ESCALATION_MINUTES: '0.05' }).alertEscalationMs).toBe(3000);
    expect(() => loadConfig({ ...valid, ALERT_ESCALATION_MINUTES: '0' })).toThrow(/ALERT_ESCALATION_MINUTES/);
  });

  it('refuses address lists, origins and limits it cannot use, naming each variable', () => {
    let error: unknown;
    try {
      loadConfig({
        ...valid,
        TRUSTED_PROXIES: 'loopback',
        METRICS_ALLOW: '10.0.0.0/99',
        METRICS_TOKEN: 'short',
        CONNECTOR_ALLOW_HOSTS: 'http://sensors.internal',
        CSP_FRAME_ANCESTORS: 'portal.example.org',
        RATE_LIMIT_WRITES_PER_MINUTE: '-1',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'CONNECTOR_ALLOW_HOSTS',
      'CSP_FRAME_ANCESTORS',
      'METRICS_ALLOW',
      'METRICS_TOKEN',
      'RATE_LIMIT_WRITES_PER_MINUTE',
      'TRUSTED_PROXIES',
    ]);
  });

  it('stores case photos under .cityops/case-photos unless CASE_PHOTO_DIR says where, a directory it may make or write', () => {
    expect(loadConfig(valid).casePhotoDir).toBe(join(process.cwd(), '.cityops/case-photos'));
    const dir = mkdtempSync(join(tmpdir(), 'cityops-photo-dir-'));
    try {
      // Not there yet, under a directory that is: made at the first upload.
      expect(loadConfig({ ...valid, CASE_PHOTO_DIR: join(dir, 'a/b') }).casePhotoDir).toBe(join(dir, 'a/b'));
      writeFileSync(join(dir, 'file'), 'x');
      const problems = (dirValue: string) => {
        try {
          loadConfig({ ...valid, CASE_PHOTO_DIR: dirValue });
          return [];
        } catch (error) {
          return (error as ConfigError).problems;
        }
      };
      expect(problems(join(dir, 'file'))).toEqual([expect.stringMatching(/^CASE_PHOTO_DIR: .*file is not a directory$/)]);
      expect(problems(join(dir, 'file', 'photos'))).toEqual([
        expect.stringMatching(/^CASE_PHOTO_DIR: .*cannot be made \(.*file is not a directory\)$/),
      ]);
      expect(problems(`${dir}/a\0b`)).toEqual([expect.stringMatching(/^CASE_PHOTO_DIR: .*contains a NUL character$/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('S3-compatible photo storage', () => {
    const s3 = {
      CASE_PHOTO_S3_ENDPOINT: 'http://minio.internal:9000',
      CASE_PHOTO_S3_BUCKET: 'case-photos',
      CASE_PHOTO_S3_ACCESS_KEY_ID: 'cityops',
      CASE_PHOTO_S3_SECRET_ACCESS_KEY: 'a-secret-of-the-bucket',
    };
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ...valid, ...env });
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };

    it('is off without a bucket (photos in CASE_PHOTO_DIR), and on with one, path style in us-east-1 by default', () => {
      expect(loadConfig(valid).casePhotoS3).toBeUndefined();
      expect(loadConfig({ ...valid, CASE_PHOTO_S3_BUCKET: '', CASE_PHOTO_S3_PREFIX: '' }).casePhotoS3).toBeUndefined();
      expect(loadConfig({ ...valid, ...s3 }).casePhotoS3).toEqual({
        endpoint: 'http://minio.internal:9000',
        region: 'us-east-1',
        bucket: 'case-photos',
        accessKeyId: 'cityops',
        secretAccessKey: 'a-secret-of-the-bucket',
        prefix: '',
        forcePathStyle: true,
      });
      expect(
        loadConfig({
          ...valid,
          ...s3,
          CASE_PHOTO_S3_REGION: 'cn-north-4',
          CASE_PHOTO_S3_PREFIX: 'cityops/photos',
          CASE_PHOTO_S3_FORCE_PATH_STYLE: 'false',
        }).casePhotoS3,
      ).toMatchObject({ region: 'cn-north-4', prefix: 'cityops/photos/', forcePathStyle: false });
    });

    it('refuses a bucket without its endpoint or keys, naming each missing variable', () => {
      expect(problems({ CASE_PHOTO_S3_BUCKET: 'case-photos' }).sort()).toEqual([
        'CASE_PHOTO_S3_ACCESS_KEY_ID: is required when CASE_PHOTO_S3_BUCKET is set',
        'CASE_PHOTO_S3_ENDPOINT: is required when CASE_PHOTO_S3_BUCKET is set',
        'CASE_PHOTO_S3_SECRET_ACCESS_KEY: is required when CASE_PHOTO_S3_BUCKET is set',
      ]);
      expect(problems({ ...s3, CASE_PHOTO_S3_SECRET_ACCESS_KEY: '' })).toEqual([
        'CASE_PHOTO_S3_SECRET_ACCESS_KEY: is required when CASE_PHOTO_S3_BUCKET is set',
      ]);
    });

    it('refuses S3 settings without a bucket: half a configuration is not quietly the directory', () => {
      const { CASE_PHOTO_S3_BUCKET: _bucket, ...withoutBucket } = s3;
      expect(
        problems({ ...withoutBucket, CASE_PHOTO_S3_PREFIX: 'photos/' })
          .map((p) => p.split(':')[0])
          .sort(),
      ).toEqual(['CASE_PHOTO_S3_ACCESS_KEY_ID', 'CASE_PHOTO_S3_ENDPOINT', 'CASE_PHOTO_S3_PREFIX', 'CASE_PHOTO_S3_SECRET_ACCESS_KEY']);
    });

    it.each([
      ['CASE_PHOTO_S3_ENDPOINT', 'minio.internal:9000'],
      ['CASE_PHOTO_S3_ENDPOINT', 'ftp://minio.internal'],
      ['CASE_PHOTO_S3_ENDPOINT', 'http://key:secret@minio.internal:9000'],
      ['CASE_PHOTO_S3_ENDPOINT', 'http://minio.internal:9000/?x=1'],
      ['CASE_PHOTO_S3_BUCKET', 'Case_Photos'],
      ['CASE_PHOTO_S3_BUCKET', 'ab'],
      ['CASE_PHOTO_S3_BUCKET', '10.0.0.1'],
      ['CASE_PHOTO_S3_REGION', 'us east'],
      ['CASE_PHOTO_S3_PREFIX', '/photos'],
      ['CASE_PHOTO_S3_PREFIX', 'photos/../other'],
      ['CASE_PHOTO_S3_PREFIX', 'photos//x'],
      ['CASE_PHOTO_S3_PREFIX', 'photos with spaces'],
      ['CASE_PHOTO_S3_ACCESS_KEY_ID', 'has space'],
      ['CASE_PHOTO_S3_FORCE_PATH_STYLE', 'yes'],
    ])('refuses %s=%j, naming it', (name, value) => {
      const found = problems({ ...s3, [name]: value });
      expect(found).toEqual([expect.stringMatching(new RegExp(`^${name}: `))]);
      // The secret never appears in what is printed at start.
      expect(found.join('\n')).not.toContain(s3.CASE_PHOTO_S3_SECRET_ACCESS_KEY);
    });
  });

  it('has every variable documented in .env.example', () => {
    const example = readFileSync(join(__dirname, '../../../../.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect(Object.keys(envSchema.shape).filter((key) => !documented.has(key))).toEqual([]);
  });
});
