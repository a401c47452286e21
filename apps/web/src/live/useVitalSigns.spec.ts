import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, renderHook } from '@testing-library/react';
import type { IndicatorDefinitionView, IndicatorValuesEvent } from '@cityops/contracts';
import { FakeApi } from '../testing/fake-api';
import { FakeLiveClient } from '../testing/fake-live-client';
import { advance } from '../testing/timers';
import { LIVE_FLUSH_MS } from './throttle';
import { MAX_VITAL_SIGNS, TREND_BUCKET_SECONDS, useVitalSigns } from './useVitalSigns';

const NOW = Date.parse('2026-11-02T08:00:00+08:00');

function definition(key: string, patch: Record<string, unknown> = {}): IndicatorDefinitionView {
  return {
    key,
    name: `指标 ${key}`,
    nameEn: `Indicator ${key}`,
    theme: 'environment',
    unit: 'AQI',
    format: { decimals: 0, percent: false },
    description: null,
    descriptionEn: null,
    grouping: { levels: ['city'] },
    source: { kind: 'aggregate', feed: 'f', metric: 'm', windowSeconds: 600, perEntity: 'latest', across: 'avg' },
    thresholds: null,
    evaluateEverySeconds: null,
    enabled: true,
    reads: [],
    createdAt: new Date(NOW).toISOString(),
    updatedAt: new Date(NOW).toISOString(),
    ...patch,
  };
}

function latest(key: string, value: number, computedAt = new Date(NOW).toISOString()): IndicatorValuesEvent {
  return {
    indicatorKey: key,
    name: `指标 ${key}`,
    nameEn: null,
    theme: 'environment',
    unit: 'AQI',
    format: { decimals: 0, percent: false },
    computedAt,
    thresholds: null,
    values: [{ areaId: 1, areaCode: 'C', areaName: '广州市', seq: null, value, numerator: null, denominator: null, ts: computedAt }],
  };
}

describe('useVitalSigns: every enabled indicator with its value and a 24-hour trend', () => {
  let api: FakeApi;
  let live: FakeLiveClient;
  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(NOW);
    api = new FakeApi().install();
    live = new FakeLiveClient();
  });
  afterEach(() => {
    api.uninstall();
    jest.useRealTimers();
  });

  /** Answers each indicator's latest values and summary. */
  async function answerEach(value: (key: string) => number) {
    await advance(0);
    for (const request of api.requests.filter((r) => !r.answered && !r.aborted)) {
      const key = decodeURIComponent(request.path.split('/')[3]);
      if (request.path.endsWith('/latest')) request.reply(200, latest(key, value(key)));
      else if (request.path.endsWith('/summary'))
        request.reply(200, [
          { ts: new Date(NOW - 900_000).toISOString(), areas: 1, sumNumerator: 0, atOrAboveWarning: 0, atOrAboveCritical: 0, maxValue: 7 },
        ]);
    }
    await advance(LIVE_FLUSH_MS);
  }

  it('lists the enabled ones, a composite first, reads each one’s last 24 hours and follows their live values', async () => {
    const hook = renderHook(() => useVitalSigns(live.client));
    act(() => live.connect());
    api
      .only('/api/indicators')
      .reply(200, [
        definition('water.depth', { theme: 'water' }),
        definition('air.aqi', { theme: 'environment' }),
        definition('city.index', { theme: 'general', source: { kind: 'composite' } }),
        definition('old.one', { enabled: false }),
      ]);
    await answerEach((key) => (key === 'air.aqi' ? 156 : 40));
    const { signs, loaded, hidden } = hook.result.current;
    expect(loaded).toBe(true);
    expect(hidden).toBe(0);
    expect(signs.map((s) => s.definition.key)).toEqual(['city.index', 'air.aqi', 'water.depth']);
    expect(signs.find((s) => s.definition.key === 'air.aqi')?.latest?.values[0].value).toBe(156);
    expect(signs[0].trend).toHaveLength(1);
    const summary = api.requests.find((r) => r.path === '/api/indicators/air.aqi/summary');
    expect(Date.parse(summary?.query.get('from') ?? '')).toBe(NOW - 24 * 3600_000);
    expect(summary?.query.get('bucket')).toBe(String(TREND_BUCKET_SECONDS));
    expect(live.addedChannels).toEqual(['indicator:city.index', 'indicator:air.aqi', 'indicator:water.depth']);

    act(() => live.emit('indicator.values', latest('air.aqi', 171, new Date(NOW + 5_000).toISOString())));
    // An older event (late delivery) and another indicator's are ignored.
    act(() => live.emit('indicator.values', latest('water.depth', 1, new Date(NOW - 5_000).toISOString())));
    act(() => live.emit('indicator.values', latest('not.shown', 1)));
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.signs.map((s) => s.latest?.values[0].value)).toEqual([40, 171, 40]);
  });

  it(`shows at most ${MAX_VITAL_SIGNS} and says how many more there are`, async () => {
    const hook = renderHook(() => useVitalSigns(live.client));
    act(() => live.connect());
    api.only('/api/indicators').reply(
      200,
      Array.from({ length: MAX_VITAL_SIGNS + 3 }, (_, i) => definition(`k.${String(i).padStart(2, '0')}`)),
    );
    await answerEach(() => 1);
    expect(hook.result.current.signs).toHaveLength(MAX_VITAL_SIGNS);
    expect(hook.result.current.hidden).toBe(3);
  });

  it('says why when the definitions cannot be read, and tries again by itself', async () => {
    const hook = renderHook(() => useVitalSigns(live.client));
    act(() => live.connect());
    api.only('/api/indicators').reply(503, { type: 'about:blank', title: 'Service Unavailable', status: 503 });
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current).toMatchObject({ loaded: false, signs: [] });
    expect(hook.result.current.error?.status).toBe(503);
    await advance(10_000);
    api.only('/api/indicators').reply(200, []);
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current).toMatchObject({ loaded: true, signs: [], error: null });
  });
});
