/**
 * The wall runs for days: every store that grows with live updates has a bound, and each is fed
 * here far more updates than its bound (an hour of a storm and more) to show that it holds.
 * (`npm run bench:web` measures the heap of the real page under an hour of updates.)
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, renderHook } from '@testing-library/react';
import type { AlertView, FeedHealthView, IndicatorValuesEvent } from '@cityops/contracts';
import { AlertBook } from '../live/alert-book';
import { LIVE_FLUSH_MS } from '../live/throttle';
import { useFeedHealth } from '../live/useFeedHealth';
import { useLiveAlerts } from '../live/useLiveAlerts';
import { SUMMARY_BUCKET_SECONDS, SUMMARY_WINDOW_MS, useLiveIndicator } from '../live/useLiveIndicator';
import { QUIET_ALERT_FIELDS } from '../testing/alerts';
import { FakeApi } from '../testing/fake-api';
import { FakeLiveClient } from '../testing/fake-live-client';
import { advance } from '../testing/timers';
import { RESOLVED_HELD, type WallAlert } from './alert-status';
import { initialRotation, stepRotation, type RotationAlert, type RotationState } from './rotation';
import { useSampledSeries } from './useSampledSeries';
import { FRESH_MS, MAX_ANNOUNCEMENTS, useWallAlerts, withAnnouncement, type Announcement } from './useWallAlerts';

const NOW = Date.parse('2026-11-02T08:00:00+08:00');
/** Points of a 30-minute window of 30 s buckets, both ends included. */
const SERIES_BOUND = SUMMARY_WINDOW_MS / (SUMMARY_BUCKET_SECONDS * 1000) + 1;
const iso = (ms: number) => new Date(ms).toISOString();

function alert(n: number, patch: Partial<AlertView> = {}): WallAlert {
  const at = iso(NOW - 30 * 60_000 + n * 100);
  return {
    ...QUIET_ALERT_FIELDS,
    id: `a${n}`,
    indicatorKey: 'crowd.load',
    areaId: (n % 20) + 1,
    areaCode: `Z-${(n % 20) + 1}`,
    areaName: `zone ${(n % 20) + 1}`,
    level: 'warning',
    state: 'firing',
    value: 0.9,
    threshold: 0.8,
    title: `alert ${n}`,
    center: [113.32, 23.13],
    startedAt: at,
    firedAt: at,
    updatedAt: at,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    ...patch,
  };
}

function resolvedOf(a: WallAlert, at: number): WallAlert {
  return { ...a, state: 'resolved', resolvedAt: iso(at), updatedAt: iso(at) };
}

function valuesEvent(computedAt: number): IndicatorValuesEvent {
  return {
    indicatorKey: 'crowd.load',
    name: '负荷',
    nameEn: 'Load',
    theme: 'major_events',
    unit: 'ratio',
    format: { decimals: 0, percent: true },
    computedAt: iso(computedAt),
    thresholds: null,
    values: Array.from({ length: 21 }, (_, i) => ({
      areaId: i + 1,
      areaCode: `Z-${i + 1}`,
      areaName: `zone ${i + 1}`,
      seq: i + 1,
      value: 0.5,
      numerator: 500,
      denominator: 1000,
      ts: iso(computedAt),
    })),
  };
}

/** A fake API and live connection on fake timers, fresh for each test of the describe that calls this. */
function fakeServices(): () => { api: FakeApi; live: FakeLiveClient } {
  let current: { api: FakeApi; live: FakeLiveClient } | null = null;
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    current = { api: new FakeApi().install(), live: new FakeLiveClient() };
  });
  afterEach(() => {
    current?.api.uninstall();
    jest.useRealTimers();
  });
  return () => {
    if (!current) throw new Error('fakeServices is read inside a test');
    return current;
  };
}

describe('the alert book holds the active alerts and at most RESOLVED_HELD resolved ones', () => {
  it('keeps the most recently resolved when alerts resolve far faster than the hour goes by', () => {
    const book = new AlertBook();
    const updates = RESOLVED_HELD * 6;
    for (let n = 0; n < updates; n++) {
      const opened = alert(n);
      book.apply(opened);
      book.apply(resolvedOf(opened, NOW - 20 * 60_000 + n * 100));
    }
    const resolved = book.resolved();
    expect(resolved).toHaveLength(RESOLVED_HELD);
    expect(book.size).toBe(RESOLVED_HELD);
    // The newest resolutions are the ones kept, newest first.
    expect(resolved[0].id).toBe(`a${updates - 1}`);
    expect(resolved[RESOLVED_HELD - 1].id).toBe(`a${updates - RESOLVED_HELD}`);
  });

  it('holds one record per alert however often each changes', () => {
    const book = new AlertBook();
    for (let round = 0; round < 500; round++) {
      for (let n = 0; n < 20; n++) {
        book.apply(alert(n, { value: 0.8 + round / 1000, updatedAt: iso(NOW - 60_000 + round * 100) }));
      }
    }
    expect(book.size).toBe(20);
    expect(book.active()).toHaveLength(20);
  });

  it('a snapshot larger than the bound is cut to it as well', () => {
    const book = new AlertBook();
    book.replace(Array.from({ length: RESOLVED_HELD + 300 }, (_, n) => resolvedOf(alert(n), NOW - 10 * 60_000 + n)));
    expect(book.resolved()).toHaveLength(RESOLVED_HELD);
  });
});

describe('the live alert store and the announcements stay bounded under a storm', () => {
  const services = fakeServices();
  let api: FakeApi;
  let live: FakeLiveClient;
  beforeEach(() => {
    ({ api, live } = services());
  });

  async function connect() {
    act(() => live.connect());
    for (const request of api.pending('/api/alerts')) request.reply(200, []);
    await advance(LIVE_FLUSH_MS);
  }

  it('useLiveAlerts lists at most RESOLVED_HELD resolved alerts after many more fired and resolved', async () => {
    const hook = renderHook(() => useLiveAlerts(live.client, () => undefined));
    await connect();
    const count = RESOLVED_HELD * 4;
    act(() => {
      for (let n = 0; n < count; n++) {
        const opened = alert(n, { level: n % 3 === 0 ? 'critical' : 'warning' });
        live.emit('alert.changed', { change: 'fired', alert: opened });
        if (n < count - 3) live.emit('alert.changed', { change: 'resolved', alert: resolvedOf(opened, NOW - 60_000 + n) });
      }
    });
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.resolved).toHaveLength(RESOLVED_HELD);
    expect(hook.result.current.alerts).toHaveLength(3);
  });

  it('useWallAlerts keeps at most MAX_ANNOUNCEMENTS fresh ids however many critical alerts arrive at once', async () => {
    const hook = renderHook(() => useWallAlerts(live.client));
    await connect();
    const count = MAX_ANNOUNCEMENTS * 3;
    for (let n = 0; n < count; n++) {
      act(() => live.emit('alert.changed', { change: 'fired', alert: alert(n, { level: 'critical', areaId: n + 1 }) }));
    }
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.alerts).toHaveLength(count);
    expect(hook.result.current.freshIds.size).toBe(MAX_ANNOUNCEMENTS);
    // The newest announcements are the ones kept.
    expect(hook.result.current.freshIds.has(`a${count - 1}`)).toBe(true);
    expect(hook.result.current.freshIds.has('a0')).toBe(false);
    // And they all go once their time is up (the second step: the expiry timer set by the first one's render).
    await advance(FRESH_MS + 1_000);
    await advance(1_000);
    expect(hook.result.current.freshIds.size).toBe(0);
  });

  it('withAnnouncement: one per alert, the newest MAX_ANNOUNCEMENTS, none past their time', () => {
    let list: Announcement[] = [];
    for (let n = 0; n < 10_000; n++) list = withAnnouncement(list, `a${n % 300}`, NOW + n * 10);
    expect(list).toHaveLength(MAX_ANNOUNCEMENTS);
    expect(new Set(list.map((a) => a.id)).size).toBe(MAX_ANNOUNCEMENTS);
    list = withAnnouncement(list, 'late', NOW + 10_000 * 10 + FRESH_MS);
    expect(list.map((a) => a.id)).toEqual(['late']);
  });
});

describe('series and summaries keep a 30-minute window', () => {
  const services = fakeServices();
  let api: FakeApi;
  let live: FakeLiveClient;
  beforeEach(() => {
    ({ api, live } = services());
  });

  it('useSampledSeries over five hours of changing values holds one window of buckets', async () => {
    const hook = renderHook(({ value }) => useSampledSeries(value), { initialProps: { value: 0 } });
    // Five hours: a change every 10 s, the bucket tick every 30 s.
    for (let n = 1; n <= 5 * 360; n++) {
      hook.rerender({ value: n });
      await advance(10_000);
    }
    expect(hook.result.current.length).toBeLessThanOrEqual(SERIES_BOUND);
    expect(hook.result.current.length).toBeGreaterThan(SERIES_BOUND - 3);
  });

  it('useLiveIndicator over seven hours of values every 5 s holds one window of summary points', async () => {
    const hook = renderHook(() => useLiveIndicator(live.client, 'crowd.load'));
    act(() => live.connect());
    api.only('/api/indicators/crowd.load/latest').reply(200, valuesEvent(NOW));
    api.only('/api/indicators/crowd.load/summary').reply(200, []);
    await advance(LIVE_FLUSH_MS);
    const events = 7 * 720;
    act(() => {
      for (let n = 1; n <= events; n++) live.emit('indicator.values', valuesEvent(NOW + n * 5_000));
    });
    await advance(LIVE_FLUSH_MS);
    const { summary, latest } = hook.result.current;
    expect(latest?.computedAt).toBe(iso(NOW + events * 5_000));
    expect(summary.length).toBeLessThanOrEqual(SERIES_BOUND);
    expect(summary.length).toBeGreaterThan(SERIES_BOUND - 3);
  });
});

describe('feed health and the rotation hold only what stands now', () => {
  const services = fakeServices();
  let live: FakeLiveClient;
  beforeEach(() => {
    ({ live } = services());
  });

  it('useFeedHealth holds the last list, not the lists before it', async () => {
    const feed = (n: number, at: number): FeedHealthView =>
      ({ feedKey: `f${n}`, name: `feed ${n}`, status: 'ok', checkedAt: iso(at) }) as unknown as FeedHealthView;
    const hook = renderHook(() => useFeedHealth(live.client));
    act(() => live.connect());
    act(() => {
      for (let n = 1; n <= 5_000; n++) live.emit('feed.health', { feeds: [feed(1, NOW + n * 15_000), feed(2, NOW + n * 15_000)] });
    });
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.feeds).toHaveLength(2);
    expect(hook.result.current.feeds?.[0].checkedAt).toBe(iso(NOW + 5_000 * 15_000));
  });

  it('the rotation remembers held-out alerts only while they stand', () => {
    const stops = [
      { scene: 'overview', dwellMs: 30_000 },
      { scene: 'event', dwellMs: 30_000 },
    ];
    const options = { interrupt: true, holdMs: 10_000 };
    let state: RotationState = initialRotation(NOW);
    let now = NOW;
    let longest = 0;
    // 2,000 critical alerts, each standing past its hold (so held out), then resolved; two at a time.
    for (let n = 0; n < 2_000; n++) {
      const standing: RotationAlert[] = [n, n + 1].map((i) => ({
        id: `c${i}`,
        level: 'critical',
        state: 'firing',
        acknowledged: false,
        firedAt: NOW + i * 1_000,
        sceneKey: 'event',
      }));
      for (let tick = 0; tick < 3; tick++) {
        now += 6_000;
        state = stepRotation(state, stops, standing, now, options).state;
        longest = Math.max(longest, state.heldOut.length);
      }
    }
    expect(longest).toBeLessThanOrEqual(2);
    state = stepRotation(state, stops, [], now + 1_000, options).state;
    expect(state.heldOut).toEqual([]);
  });
});
