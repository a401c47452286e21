import { ConfigError, loadConfig } from './config';

const valid = { JWT_SECRET: 'x'.repeat(32) };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/cityops',
      redis: { url: 'redis://127.0.0.1:6379/0', prefix: 'cityops' },
      adminPassword: 'cityops-demo',
      simulator: { enabled: true, intervalMs: 3000, runners: 20000 },
      ingestMaxBodyBytes: 10 * 1024 * 1024,
      ingestMaxStreamBytes: 256 * 1024 * 1024,
      ingestMaxStreamRecords: 1_000_000,
    });
    expect(config.basemapStyleUrl).toBeUndefined();
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
    expect(problems.sort()).toEqual(['DATABASE_URL', 'JWT_SECRET', 'PORT', 'REDIS_PREFIX', 'SIMULATOR_ENABLED']);
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
    expect(loadConfig({ ...valid, NODE_ENV: 'production' }).apiDocsEnabled).toBe(false);
    expect(loadConfig({ ...valid, NODE_ENV: 'production', API_DOCS_ENABLED: 'true' }).apiDocsEnabled).toBe(true);
    expect(loadConfig({ ...valid, API_DOCS_ENABLED: 'false' }).apiDocsEnabled).toBe(false);
    expect(loadConfig({ ...valid, API_DOCS_ENABLED: '' }).apiDocsEnabled).toBe(true);
  });

  it("points the simulator at this machine's API on PORT unless told otherwise", () => {
    expect(loadConfig({ ...valid, PORT: '3107' }).simulator.apiUrl).toBe('http://127.0.0.1:3107');
    expect(loadConfig({ ...valid, PORT: '3107', SIMULATOR_API_URL: '' }).simulator.apiUrl).toBe('http://127.0.0.1:3107');
    expect(loadConfig({ ...valid, SIMULATOR_API_URL: 'https://api.example.org' }).simulator.apiUrl).toBe('https://api.example.org');
  });

  it('treats empty optional variables as unset', () => {
    expect(loadConfig({ ...valid, KIOSK_TOKEN: '', BASEMAP_STYLE_URL: '' })).toMatchObject({
      kioskToken: undefined,
      basemapStyleUrl: undefined,
    });
  });
});
