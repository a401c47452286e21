import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, renderHook } from '@testing-library/react';
import type { IndicatorSummaryPoint, IndicatorValuesEvent, IndicatorValueView, ThresholdSpec } from '@cityops/contracts';
import { FakeApi } from '../testing/fake-api';
import { FakeLiveClient } from '../testing/fake-live-client';
import { advance } from '../testing/timers';
import { LIVE_FLUSH_MS } from './throttle';
import { summaryPointOf, useLiveIndicator } from './useLiveIndicator';

const KEY = 'crowd.load';
const LATEST = `/api/indicators/${KEY}/latest`;
const SUMMARY = `/api/indicators/${KEY}/summary`;
const NOW = Date.parse('2026-11-02T00:10:10Z');
const thresholds: ThresholdSpec = {
  levels: [
    { level: 'warning', op: '>=', value: 0.8, clear: 0.75 },
    { level: 'critical', op: '>=', value: 1.0 },
  ],
  pendingSeconds: 0,
  keepFiringSeconds: 0,
};

function value(areaId: number, load: number, numerator: number | null = Math.round(load * 1000)): IndicatorValueView {
  return {
    areaId,
    areaCode: `Z-${areaId}`,
    areaName: `zone ${areaId}`,
    seq: areaId,
    value: load,
    numerator,
    denominator: 1000,
    ts: '2026-11-02T00:10:00Z',
  };
}

function valuesEvent(computedAt: string, loads: number[], key = KEY): IndicatorValuesEvent {
  return {
    indicatorKey: key,
    name: '负荷',
    nameEn: 'Load',
    theme: 'major_events',
    unit: 'ratio',
    format: { decimals: 0, percent: true },
    computedAt,
    thresholds,
    values: loads.map((load, i) => value(i + 1, load)),
  };
}

function point(ts: string, sumNumerator: number): IndicatorSummaryPoint {
  return { ts, areas: 2, sumNumerator, atOrAboveWarning: 0, atOrAboveCritical: 0, maxValue: 0.5 };
}

describe('summaryPointOf', () => {
  it('counts the areas at or above each threshold and sums the numerators, in the 30 s bucket of the computation', () => {
    const event = valuesEvent('2026-11-02T00:10:44.500Z', [0.5, 0.8, 0.99, 1.0, 1.4]);
    expect(summaryPointOf(event)).toEqual({
      ts: '2026-11-02T00:10:30.000Z',
      areas: 5,
      sumNumerator: 500 + 800 + 990 + 1000 + 1400,
      atOrAboveWarning: 4,
      atOrAboveCritical: 2,
      maxValue: 1.4,
    });
  });

  it('uses the default thresholds when the event carries none, and counts a missing numerator as zero', () => {
    const event: IndicatorValuesEvent = { ...valuesEvent('2026-11-02T00:10:00Z', []), thresholds: null, values: [value(1, 0.85, null)] };
    expect(summaryPointOf(event)).toMatchObject({ sumNumerator: 0, atOrAboveWarning: 1, atOrAboveCritical: 0 });
  });
});

describe('useLiveIndicator: snapshot (latest + summary), then indicator.values events', () => {
  let api: FakeApi;
  let live: FakeLiveClient;

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    api = new FakeApi().install();
    live = new FakeLiveClient();
  });
  afterEach(() => {
    api.uninstall();
    jest.useRealTimers();
  });

  const render = () => renderHook(() => useLiveIndicator(live.client, KEY));

  /** Connects and answers the snapshot with `latest` and a summary of `summary`. */
  async function snapshot(latest: IndicatorValuesEvent, summary: IndicatorSummaryPoint[]) {
    act(() => live.connect());
    api.only(LATEST).reply(200, latest);
    api.only(SUMMARY).reply(200, summary);
    await advance(LIVE_FLUSH_MS);
  }

  it('loads the latest values and the last 30 minutes of summary, extended by the latest values', async () => {
    const hook = render();
    act(() => live.connect());
    const summaryRequest = api.only(SUMMARY);
    expect(summaryRequest.query.get('bucket')).toBe('30');
    expect(summaryRequest.query.get('from')).toBe(new Date(NOW - 30 * 60_000).toISOString());

    const latest = valuesEvent('2026-11-02T00:10:05Z', [0.5, 1.2]);
    api.only(LATEST).reply(200, latest);
    summaryRequest.reply(200, [point('2026-11-02T00:09:30.000Z', 1500), point('2026-11-02T00:10:00.000Z', 1600)]);
    await advance(LIVE_FLUSH_MS);

    expect(hook.result.current.latest).toEqual(latest);
    expect(hook.result.current.error).toBeNull();
    // The server's point for the current bucket is replaced by the one the latest values make.
    expect(hook.result.current.summary).toEqual([point('2026-11-02T00:09:30.000Z', 1500), summaryPointOf(latest)]);
  });

  it('replaces the values with each newer event and extends the summary; older events and other indicators are ignored', async () => {
    const hook = render();
    await snapshot(valuesEvent('2026-11-02T00:10:05Z', [0.5, 0.5]), []);

    const newer = valuesEvent('2026-11-02T00:10:35Z', [0.9, 1.1]);
    act(() => live.emit('indicator.values', newer));
    act(() => live.emit('indicator.values', valuesEvent('2026-11-02T00:10:20Z', [0.1, 0.1])));
    act(() => live.emit('indicator.values', valuesEvent('2026-11-02T00:10:40Z', [3, 3], 'other.indicator')));
    await advance(LIVE_FLUSH_MS);

    expect(hook.result.current.latest).toEqual(newer);
    expect(hook.result.current.summary.map((p) => [p.ts, p.atOrAboveCritical])).toEqual([
      ['2026-11-02T00:10:00.000Z', 0],
      ['2026-11-02T00:10:30.000Z', 1],
    ]);
  });

  it('keeps a newer event when a snapshot taken before it answers after it', async () => {
    const hook = render();
    await snapshot(valuesEvent('2026-11-02T00:10:05Z', [0.5, 0.5]), []);
    act(() => live.drop());
    act(() => live.connect());
    const newer = valuesEvent('2026-11-02T00:10:08Z', [0.7, 0.7]);
    act(() => live.emit('indicator.values', newer));
    api.only(LATEST).reply(200, valuesEvent('2026-11-02T00:10:06Z', [0.6, 0.6]));
    api.only(SUMMARY).reply(200, []);
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.latest).toEqual(newer);
    expect(api.count(LATEST)).toBe(2);
  });

  it('coalesces a burst of events into one render', async () => {
    let renders = 0;
    const hook = renderHook(() => {
      renders += 1;
      return useLiveIndicator(live.client, KEY);
    });
    await snapshot(valuesEvent('2026-11-02T00:10:00Z', [0.5]), []);
    const before = renders;
    act(() => {
      for (let s = 1; s <= 20; s++) live.emit('indicator.values', valuesEvent(`2026-11-02T00:10:${String(s).padStart(2, '0')}Z`, [s / 10]));
    });
    await advance(LIVE_FLUSH_MS);
    expect(renders).toBe(before + 1);
    expect(hook.result.current.latest?.values[0].value).toBe(2);
  });

  it('shows a failed snapshot as an error, keeps what it had, and retries after 10 s', async () => {
    const hook = render();
    const first = valuesEvent('2026-11-02T00:10:05Z', [0.5]);
    await snapshot(first, []);
    act(() => live.drop());
    act(() => live.connect());
    api.only(LATEST).reply(500, { type: 'about:blank', title: 'Internal Server Error', status: 500 });
    api.only(SUMMARY).reply(200, []);
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.error?.status).toBe(500);
    expect(hook.result.current.latest).toEqual(first);

    await advance(10_000);
    const recovered = valuesEvent('2026-11-02T00:10:15Z', [0.6]);
    api.only(LATEST).reply(200, recovered);
    api.only(SUMMARY).reply(200, []);
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current).toMatchObject({ latest: recovered, error: null });
  });

  it('counts a failed summary as a failed snapshot too', async () => {
    const hook = render();
    act(() => live.connect());
    api.only(LATEST).reply(200, valuesEvent('2026-11-02T00:10:05Z', [0.5]));
    api.only(SUMMARY).reply(400, { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'from: not a time' });
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.error?.problem).toMatchObject({ status: 400, detail: 'from: not a time' });
    expect(hook.result.current.latest?.computedAt).toBe('2026-11-02T00:10:05Z');
    await advance(10_000);
    expect(api.pending(SUMMARY)).toHaveLength(1);
  });

  it('stops listening when unmounted', async () => {
    const hook = render();
    await snapshot(valuesEvent('2026-11-02T00:10:05Z', [0.5]), []);
    hook.unmount();
    expect(live.listenerCount).toBe(0);
  });
});
