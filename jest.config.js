/**
 * Tiers as jest projects, told apart by file name:
 * - `unit`: `*.spec.ts` of the server code (apps/api, apps/worker, libs), pure logic from source,
 *   and the checks of the source tree and set-up scripts (test/architecture, test/scripts);
 *   no global setup, so it runs without PostgreSQL or Redis (`npm run test:unit`);
 * - `web`: `*.spec.ts(x)` of the web app (hooks, formatters, i18n) in jsdom, also in `test:unit`;
 * - `integration`: `*.integration-spec.ts`, the real API and worker on real PostgreSQL + PostGIS,
 *   Redis and Mosquitto;
 * - `e2e`: `*.e2e-spec.ts`, the built app in headless Chromium.
 * The last two share one global setup (the run's template database), which Jest runs once, and
 * only when a test of theirs is selected.
 */
const swcServer = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const swcWeb = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const server = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swcServer },
  // Nest 12 ships ES modules only; compile them to CommonJS for Jest's module system.
  // Mapbox's vector-tile decoder (and pbf) too: the integration tests read tiles with it.
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|@socket\\.io/redis-emitter|flatbush|flatqueue|@mapbox/vector-tile|@mapbox/point-geometry|pbf)/)',
  ],
  moduleNameMapper: { '^@cityops/(.*)$': '<rootDir>/libs/$1/src' },
};

/** The template database for the suites that talk to real services; dropped at the end. */
const services = {
  ...server,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

module.exports = {
  // One more suite than cores: the browser and service suites spend much of their time waiting
  // (dwell times, live flushes, page loads). Measured on 2 cores, the whole run: jest 1,023 s with
  // two workers, 752 s with three.
  maxWorkers: 3,
  // A global option in Jest (not per project): the integration and e2e suites need it.
  testTimeout: 60000,
  projects: [
    {
      ...server,
      displayName: 'unit',
      // test/architecture and test/scripts read the source tree and the set-up scripts: no services either.
      roots: ['<rootDir>/apps/api', '<rootDir>/apps/worker', '<rootDir>/libs', '<rootDir>/test/architecture', '<rootDir>/test/scripts'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      rootDir: __dirname,
      displayName: 'web',
      // jsdom, with Node's fetch classes (Response, Headers) that jsdom lacks.
      testEnvironment: 'jest-fixed-jsdom',
      roots: ['<rootDir>/apps/web/src'],
      testMatch: ['**/*.spec.ts', '**/*.spec.tsx'],
      transform: { '^.+\\.(t|j)sx?$': swcWeb },
      moduleNameMapper: { '^@cityops/contracts$': '<rootDir>/libs/contracts/src/index.ts' },
    },
    {
      ...services,
      displayName: 'integration',
      // The migrations' own test (up and down on an empty database and on one with data) lives beside them.
      roots: ['<rootDir>/test/integration', '<rootDir>/migrations'],
      testMatch: ['**/*.integration-spec.ts'],
    },
    {
      ...services,
      displayName: 'e2e',
      roots: ['<rootDir>/test/e2e'],
      testMatch: ['**/*.e2e-spec.ts'],
    },
  ],
};
