import { bucketCeil, chooseResolution } from './history-resolution';

const now = new Date('2026-11-29T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const H = 3600_000;
const D = 24 * H;
const defaults = { rawDays: 1, minuteDays: 30, hourDays: 0 };

describe('chooseResolution', () => {
  it.each([
    ['auto, the last hour: raw values', 'auto', ago(H), now, defaults, 'raw'],
    ['auto, exactly 6 hours: still raw', 'auto', ago(6 * H), now, defaults, 'raw'],
    ['auto, 6 hours and a second: 1-minute buckets', 'auto', ago(6 * H + 1000), now, defaults, '1m'],
    ['auto, 2 hours starting 25 hours ago: 1-minute buckets (past the raw day)', 'auto', ago(25 * H), ago(23 * H), defaults, '1m'],
    ['auto, 2 hours starting 22 hours ago: raw', 'auto', ago(22 * H), ago(20 * H), defaults, 'raw'],
    ['auto, an hour three days ago: 1-minute buckets (raw is gone)', 'auto', ago(3 * D), ago(3 * D - H), defaults, '1m'],
    ['auto, an hour kept raw for a week: raw', 'auto', ago(3 * D), ago(3 * D - H), { ...defaults, rawDays: 7 }, 'raw'],
    ['auto, the last 24 hours: 1-minute buckets', 'auto', ago(D), now, defaults, '1m'],
    ['auto, the last 7 days: 1-minute buckets', 'auto', ago(7 * D), now, defaults, '1m'],
    ['auto, the last 8 days: 1-hour buckets', 'auto', ago(8 * D), now, defaults, '1h'],
    ['auto, a day 40 days ago: 1-hour buckets (minutes are gone)', 'auto', ago(40 * D), ago(39 * D), defaults, '1h'],
    ['auto, a year: 1-hour buckets', 'auto', ago(365 * D), now, defaults, '1h'],
    ['raw asked for a long range: raw as asked', 'raw', ago(30 * D), now, defaults, 'raw'],
    ['1m asked for the last minute: 1m as asked', '1m', ago(60_000), now, defaults, '1m'],
    ['1h asked for the last hour: 1h as asked', '1h', ago(H), now, defaults, '1h'],
  ] as const)('%s', (_name, step, from, to, retention, expected) => {
    expect(chooseResolution(step, from, to, now, retention)).toBe(expected);
  });
});

describe('bucketCeil', () => {
  it.each([
    ['a time on a minute boundary stays', '2026-11-29T10:01:00.000Z', 60_000, '2026-11-29T10:01:00.000Z'],
    ['a time inside a minute goes to the next minute', '2026-11-29T10:01:00.001Z', 60_000, '2026-11-29T10:02:00.000Z'],
    ['a time inside an hour goes to the next hour', '2026-11-29T10:30:00.000Z', 3600_000, '2026-11-29T11:00:00.000Z'],
  ] as const)('%s', (_name, t, bucketMs, expected) => {
    expect(bucketCeil(new Date(t), bucketMs).toISOString()).toBe(expected);
  });
});
