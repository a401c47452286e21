/**
 * Three tiers, told apart by file name: unit `*.spec.ts` (pure logic), integration
 * `*.integration-spec.ts` (real PostgreSQL + PostGIS and Redis) and e2e `*.e2e-spec.ts` (the app
 * in headless Chromium). The global setup creates this run's template database once.
 */
const swc = [
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

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps/api', '<rootDir>/apps/worker', '<rootDir>/libs', '<rootDir>/test', '<rootDir>/migrations'],
  testMatch: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  // Nest 12 ships ES modules only; compile them to CommonJS for Jest's module system.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@socket\\.io/redis-emitter|flatbush|flatqueue)/)'],
  moduleNameMapper: { '^@cityops/(.*)$': '<rootDir>/libs/$1/src' },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
