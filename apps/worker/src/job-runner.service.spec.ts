import { JOBS, loadConfig, type MetricsService } from '@cityops/core';
import { JobRunner } from './job-runner.service';

describe('JobRunner', () => {
  const config = loadConfig({ JWT_SECRET: 'x'.repeat(32), SECRETS_KEY: 'y'.repeat(32) });

  it('refuses to start while a registered job has no handler', async () => {
    const runner = new JobRunner(config, {} as MetricsService);
    // Every job of the registry, named (the list grows with each job added there).
    await expect(runner.start()).rejects.toThrow(`Jobs without a handler: ${Object.keys(JOBS).join(', ')}`);
    expect(Object.keys(JOBS)).toEqual(expect.arrayContaining(['indicator.recompute', 'storage.maintain', 'indicator.rollup']));
  });

  it('refuses a second handler for the same job', () => {
    const runner = new JobRunner(config, {} as MetricsService);
    runner.register('indicator.recompute', () => Promise.resolve(undefined));
    expect(() => runner.register('indicator.recompute', () => Promise.resolve(undefined))).toThrow(
      'Job indicator.recompute has two handlers',
    );
  });
});
