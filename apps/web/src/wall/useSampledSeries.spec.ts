import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { renderHook } from '@testing-library/react';
import { advance } from '../testing/timers';
import { useSampledSeries } from './useSampledSeries';

const BUCKET = 30_000;
// 10 s into a 30 s bucket.
const START = Date.parse('2026-11-02T00:00:10Z');
const bucketOf = (ms: number) => Math.floor(ms / BUCKET) * BUCKET;

describe('useSampledSeries: a series of a value the server keeps no history of', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: START });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('starts empty and stays empty while the value is unknown', async () => {
    const hook = renderHook(() => useSampledSeries(null));
    expect(hook.result.current).toEqual([]);
    await advance(BUCKET);
    expect(hook.result.current).toEqual([]);
  });

  it('samples the value into its 30 s bucket; a change within the bucket replaces the point', () => {
    const hook = renderHook(({ value }) => useSampledSeries(value), { initialProps: { value: 2 } });
    expect(hook.result.current).toEqual([[bucketOf(START), 2]]);
    hook.rerender({ value: 3 });
    expect(hook.result.current).toEqual([[bucketOf(START), 3]]);
  });

  it('adds a point every bucket even when the value does not change', async () => {
    const hook = renderHook(() => useSampledSeries(4));
    await advance(BUCKET);
    await advance(BUCKET);
    expect(hook.result.current).toEqual([
      [bucketOf(START), 4],
      [bucketOf(START) + BUCKET, 4],
      [bucketOf(START) + 2 * BUCKET, 4],
    ]);
  });

  it('keeps only the last 30 minutes', async () => {
    const hook = renderHook(() => useSampledSeries(1));
    // Bucket by bucket, as a wall lives through them (one render per tick).
    for (let i = 0; i < 62; i++) await advance(BUCKET);
    const series = hook.result.current;
    const newest = series[series.length - 1][0];
    expect(newest).toBe(bucketOf(START + 31 * 60_000));
    // 30 minutes back from the newest bucket, both ends included: 61 points, the first 31 minutes ago gone.
    expect(series[0][0]).toBe(newest - 30 * 60_000);
    expect(series).toHaveLength(61);
  });
});
