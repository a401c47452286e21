import { needsRunNow, nextRunDelayMs } from './connector-schedule';

describe('connector schedule', () => {
  it('waits the interval after a success and backs off exponentially, up to an hour, after failures', () => {
    expect(nextRunDelayMs(60, 0)).toBe(60_000);
    expect(nextRunDelayMs(60, 1)).toBe(120_000);
    expect(nextRunDelayMs(60, 3)).toBe(480_000);
    expect(nextRunDelayMs(60, 10)).toBe(3600_000);
    expect(nextRunDelayMs(5, 1000)).toBe(3600_000);
  });

  const now = 1_800_000_000_000;
  const base = { connector: { intervalSeconds: 60, timeoutSeconds: 20 }, lastRunAt: now - 30_000, feedUpdatedAt: now - 3600_000 };

  it('plans a run for a feed without one, and for one whose run is overdue by more than an interval and a timeout', () => {
    expect(needsRunNow({ ...base, nextRunAt: null }, now)).toBe(true);
    expect(needsRunNow({ ...base, nextRunAt: now - 81_000 }, now)).toBe(true);
    // Due a moment ago, or still running: leave it to its job.
    expect(needsRunNow({ ...base, nextRunAt: now - 79_000 }, now)).toBe(false);
    expect(needsRunNow({ ...base, nextRunAt: now + 30_000 }, now)).toBe(false);
  });

  it('replans a future run when the feed was edited since its last run', () => {
    expect(needsRunNow({ ...base, nextRunAt: now + 3000_000, feedUpdatedAt: now - 10_000 }, now)).toBe(true);
    expect(needsRunNow({ ...base, nextRunAt: now + 3000_000, lastRunAt: null }, now)).toBe(true);
    // Edited, but its run is due now anyway and will read the new connector.
    expect(needsRunNow({ ...base, nextRunAt: now - 1000, feedUpdatedAt: now - 10_000 }, now)).toBe(false);
  });
});
