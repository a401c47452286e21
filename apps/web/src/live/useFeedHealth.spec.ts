import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, renderHook } from '@testing-library/react';
import type { FeedHealthStatus, FeedHealthView } from '@cityops/contracts';
import { FakeApi } from '../testing/fake-api';
import { FakeLiveClient } from '../testing/fake-live-client';
import { advance, settle } from '../testing/timers';
import { troubledFeeds, useFeedHealth } from './useFeedHealth';

const HEALTH = '/api/feeds/health';

function health(feedKey: string, status: FeedHealthStatus, checkedAt: string): FeedHealthView {
  return {
    feedKey,
    name: feedKey,
    nameEn: null,
    status,
    recordsPerMinute: status === 'ok' ? 21 : 0,
    lastRecordAt: status === 'silent' ? null : '2026-11-02T08:00:00+08:00',
    lagSeconds: null,
    expectedIntervalSeconds: 60,
    rejectedShare: 0,
    connector: null,
    checkedAt,
  };
}

describe('troubledFeeds', () => {
  it('keeps the stale and failing feeds; ok and silent ones need nobody', () => {
    const at = '2026-11-02T08:00:00+08:00';
    const feeds = [health('a', 'ok', at), health('b', 'stale', at), health('c', 'silent', at), health('d', 'failing', at)];
    expect(troubledFeeds(feeds).map((f) => f.feedKey)).toEqual(['b', 'd']);
    expect(troubledFeeds(null)).toEqual([]);
  });
});

describe('useFeedHealth: snapshot on connect, then feed.health events', () => {
  let api: FakeApi;
  let live: FakeLiveClient;

  beforeEach(() => {
    jest.useFakeTimers();
    api = new FakeApi().install();
    live = new FakeLiveClient();
  });
  afterEach(() => {
    api.uninstall();
    jest.useRealTimers();
  });

  const render = () => renderHook(() => useFeedHealth(live.client));

  it('loads every feed on connect and takes each event whole', async () => {
    const hook = render();
    expect(hook.result.current.feeds).toBeNull();
    act(() => live.connect());
    api.only(HEALTH).reply(200, [health('air', 'ok', '2026-11-02T00:00:00Z')]);
    await settle();
    expect(hook.result.current.feeds?.map((f) => f.status)).toEqual(['ok']);

    const event = [health('air', 'stale', '2026-11-02T00:00:15Z'), health('bins', 'failing', '2026-11-02T00:00:15Z')];
    act(() => live.emit('feed.health', { feeds: event }));
    expect(hook.result.current.feeds).toEqual(event);
  });

  it('keeps the newer list when an older one arrives after it', async () => {
    const hook = render();
    act(() => live.connect());
    const snapshot = api.only(HEALTH);
    const newer = [health('air', 'stale', '2026-11-02T00:00:15Z')];
    act(() => live.emit('feed.health', { feeds: newer }));
    snapshot.reply(200, [health('air', 'ok', '2026-11-02T00:00:10Z')]);
    await settle();
    expect(hook.result.current.feeds).toEqual(newer);
    act(() => live.emit('feed.health', { feeds: [health('air', 'ok', '2026-11-02T00:00:14Z')] }));
    expect(hook.result.current.feeds).toEqual(newer);
  });

  it('refreshes on request, but not more often than every 2 s: requests meanwhile become one snapshot when the gap has passed', async () => {
    const hook = render();
    act(() => live.connect());
    api.only(HEALTH).reply(200, [health('air', 'stale', '2026-11-02T00:00:00Z')]);
    await settle();

    act(() => {
      hook.result.current.refresh();
      hook.result.current.refresh();
      hook.result.current.refresh();
    });
    await advance(1_999);
    expect(api.count(HEALTH)).toBe(1);
    await advance(1);
    expect(api.count(HEALTH)).toBe(2);
    api.only(HEALTH).reply(200, [health('air', 'ok', '2026-11-02T00:00:02Z')]);
    await settle();
    expect(hook.result.current.feeds?.[0].status).toBe('ok');

    // Once the gap has passed, a refresh goes out at once.
    await advance(2_000);
    act(() => hook.result.current.refresh());
    expect(api.pending(HEALTH)).toHaveLength(1);
  });

  it('shows a failed snapshot as an error until the next one succeeds', async () => {
    const hook = render();
    act(() => live.connect());
    api.only(HEALTH).failNetwork();
    await settle();
    expect(hook.result.current.error?.isNetworkError).toBe(true);
    await advance(10_000);
    api.only(HEALTH).reply(200, []);
    await settle();
    expect(hook.result.current).toMatchObject({ feeds: [], error: null });
  });

  it('lets go of the socket when unmounted, and a refresh after that does nothing', async () => {
    const hook = render();
    act(() => live.connect());
    api.only(HEALTH).reply(200, []);
    await settle();
    const { refresh } = hook.result.current;
    hook.unmount();
    refresh();
    await advance(5_000);
    expect(api.count(HEALTH)).toBe(1);
    expect(live.listenerCount).toBe(0);
  });
});
