import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, renderHook } from '@testing-library/react';
import type { AlertView } from '@cityops/contracts';
import { QUIET_ALERT_FIELDS } from '../testing/alerts';
import { FakeApi } from '../testing/fake-api';
import { FakeLiveClient } from '../testing/fake-live-client';
import { advance, settle } from '../testing/timers';
import { LIVE_FLUSH_MS } from './throttle';
import { useLiveAlerts } from './useLiveAlerts';

const ALERTS = '/api/alerts';
/** The wall's clock in these tests: ten minutes after the alerts below opened. */
const NOW = '2026-11-02T08:10:00+08:00';

function alert(id: string, overrides: Partial<AlertView> = {}): AlertView {
  return {
    ...QUIET_ALERT_FIELDS,
    id,
    indicatorKey: 'crowd.load',
    areaId: Number(id.replace(/\D/g, '')) || 1,
    areaCode: `Z-${id}`,
    areaName: `zone ${id}`,
    level: 'warning',
    state: 'firing',
    value: 0.85,
    threshold: 0.8,
    title: `alert ${id}`,
    center: [113.32, 23.13],
    startedAt: '2026-11-02T08:00:00+08:00',
    firedAt: '2026-11-02T08:00:00+08:00',
    updatedAt: '2026-11-02T08:00:00+08:00',
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    ...overrides,
  };
}

describe('useLiveAlerts: REST snapshot, then alert.changed deltas by id', () => {
  let api: FakeApi;
  let live: FakeLiveClient;
  let announced: string[];

  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(new Date(NOW));
    api = new FakeApi().install();
    live = new FakeLiveClient();
    announced = [];
  });
  afterEach(() => {
    api.uninstall();
    jest.useRealTimers();
  });

  /** The snapshot's two requests: the active alerts and the resolved ones. */
  function snapshot() {
    const pending = api.pending(ALERTS);
    const open = pending.filter((r) => r.query.get('state') === 'firing');
    const resolved = pending.filter((r) => r.query.get('state') === 'resolved');
    if (open.length !== 1 || resolved.length !== 1) throw new Error(`expected one snapshot, found ${pending.length} pending requests`);
    return { open: open[0], resolved: resolved[0] };
  }

  function answer(open: AlertView[], resolved: AlertView[] = []) {
    const requests = snapshot();
    requests.open.reply(200, open);
    requests.resolved.reply(200, resolved);
  }

  /** The hook on a live client whose first snapshot answered `open`. */
  async function watching(open: AlertView[], resolved: AlertView[] = []) {
    const hook = renderHook(() => useLiveAlerts(live.client, (a) => announced.push(a.id)));
    act(() => live.connect());
    answer(open, resolved);
    await advance(LIVE_FLUSH_MS);
    return hook;
  }

  it('asks for the open and the resolved alerts when the socket connects and lists the open ones newest first, without announcing those already open', async () => {
    const hook = renderHook(() => useLiveAlerts(live.client, (a) => announced.push(a.id)));
    expect(hook.result.current).toMatchObject({ alerts: [], loaded: false, error: null });
    act(() => live.connect());
    const requests = snapshot();
    requests.resolved.reply(200, []);

    requests.open.reply(200, [
      alert('a1', { level: 'critical', firedAt: '2026-11-02T08:00:00+08:00' }),
      alert('a2', { firedAt: '2026-11-02T08:05:00+08:00' }),
    ]);
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.loaded).toBe(true);
    expect(hook.result.current.alerts.map((a) => a.id)).toEqual(['a2', 'a1']);
    expect(announced).toEqual([]);
  });

  it('upserts deltas by id and moves resolved alerts out of the active ones; a new critical alert is announced once', async () => {
    const hook = await watching([alert('a1')]);
    act(() => live.emit('alert.changed', { change: 'fired', alert: alert('a2', { level: 'critical', value: 1.12 }) }));
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.alerts.map((a) => a.id).sort()).toEqual(['a1', 'a2']);
    expect(announced).toEqual(['a2']);

    // A later value of the same alert replaces it and is not news again.
    const later = { updatedAt: '2026-11-02T08:01:00+08:00', value: 1.3 };
    act(() => live.emit('alert.changed', { change: 'updated', alert: alert('a2', { level: 'critical', ...later }) }));
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.alerts.find((a) => a.id === 'a2')?.value).toBe(1.3);
    expect(announced).toEqual(['a2']);

    act(() =>
      live.emit('alert.changed', {
        change: 'resolved',
        alert: alert('a1', { state: 'resolved', resolvedAt: '2026-11-02T08:02:00+08:00', updatedAt: '2026-11-02T08:02:00+08:00' }),
      }),
    );
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.alerts.map((a) => a.id)).toEqual(['a2']);
    expect(hook.result.current.resolved.map((a) => a.id)).toEqual(['a1']);
  });

  it('announces a warning that escalates to critical, and again after it fell back and escalated once more', async () => {
    await watching([alert('a1')]);
    const at = (minute: number) => `2026-11-02T08:${String(minute).padStart(2, '0')}:00+08:00`;
    act(() => live.emit('alert.changed', { change: 'escalated', alert: alert('a1', { level: 'critical', updatedAt: at(1) }) }));
    act(() => live.emit('alert.changed', { change: 'deescalated', alert: alert('a1', { level: 'warning', updatedAt: at(2) }) }));
    act(() => live.emit('alert.changed', { change: 'escalated', alert: alert('a1', { level: 'critical', updatedAt: at(3) }) }));
    await advance(LIVE_FLUSH_MS);
    expect(announced).toEqual(['a1', 'a1']);
  });

  it('ignores a delta older than the state it already has (late or reordered delivery)', async () => {
    const hook = await watching([alert('a1', { updatedAt: '2026-11-02T08:10:00+08:00', value: 0.95 })]);
    act(() =>
      live.emit('alert.changed', { change: 'updated', alert: alert('a1', { updatedAt: '2026-11-02T08:09:00+08:00', value: 0.81 }) }),
    );
    act(() =>
      live.emit('alert.changed', {
        change: 'resolved',
        alert: alert('a1', { state: 'resolved', updatedAt: '2026-11-02T08:09:30+08:00' }),
      }),
    );
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.alerts).toEqual([alert('a1', { updatedAt: '2026-11-02T08:10:00+08:00', value: 0.95 })]);
    expect(hook.result.current.resolved).toEqual([]);
  });

  it('coalesces a burst of deltas into one render per flush interval', async () => {
    let renders = 0;
    const hook = renderHook(() => {
      renders += 1;
      return useLiveAlerts(live.client, () => undefined);
    });
    act(() => live.connect());
    answer([]);
    await advance(LIVE_FLUSH_MS);
    const before = renders;

    act(() => {
      for (let i = 1; i <= 50; i++) live.emit('alert.changed', { change: 'fired', alert: alert(`b${i}`) });
    });
    // Nothing reaches React before the flush...
    await advance(LIVE_FLUSH_MS - 1);
    expect(renders).toBe(before);
    expect(hook.result.current.alerts).toEqual([]);
    // ...and then all fifty arrive in a single render.
    await advance(1);
    expect(renders).toBe(before + 1);
    expect(hook.result.current.alerts).toHaveLength(50);
  });

  it('replays the deltas that arrive while the snapshot is in flight on top of it', async () => {
    const hook = renderHook(() => useLiveAlerts(live.client, (a) => announced.push(a.id)));
    act(() => live.connect());
    const requests = snapshot();
    // The server read its snapshot before these happened; they reach us before its answer.
    act(() =>
      live.emit('alert.changed', {
        change: 'resolved',
        alert: alert('a1', { state: 'resolved', resolvedAt: '2026-11-02T08:05:00+08:00', updatedAt: '2026-11-02T08:05:00+08:00' }),
      }),
    );
    act(() => live.emit('alert.changed', { change: 'fired', alert: alert('a3', { firedAt: '2026-11-02T08:06:00+08:00' }) }));
    requests.open.reply(200, [alert('a1'), alert('a2')]);
    requests.resolved.reply(200, []);
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.alerts.map((a) => a.id)).toEqual(['a3', 'a2']);
    expect(hook.result.current.resolved.map((a) => a.id)).toEqual(['a1']);
  });

  it('takes the snapshot again after a reconnect, and announces a critical alert it missed while cut off', async () => {
    const hook = await watching([alert('a1')]);
    act(() => live.drop());
    act(() => live.connect());
    answer([alert('a2', { level: 'critical' })]);
    await advance(LIVE_FLUSH_MS);
    expect(api.count(ALERTS)).toBe(4);
    // a1 was resolved while the wall was away; a2 opened.
    expect(hook.result.current.alerts.map((a) => a.id)).toEqual(['a2']);
    expect(announced).toEqual(['a2']);
  });

  it('shows a failed snapshot as an error and tries again 10 s later by itself', async () => {
    const hook = renderHook(() => useLiveAlerts(live.client, () => undefined));
    act(() => live.connect());
    const failing = snapshot();
    failing.open.reply(503, { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'database is down' });
    failing.resolved.reply(200, []);
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.loaded).toBe(false);
    expect(hook.result.current.error?.status).toBe(503);
    expect(hook.result.current.error?.problem.detail).toBe('database is down');

    await advance(10_000 - LIVE_FLUSH_MS - 1);
    expect(api.pending(ALERTS)).toHaveLength(0);
    await advance(1);
    answer([alert('a1')]);
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current).toMatchObject({ loaded: true, error: null, alerts: [alert('a1')] });
  });

  it('falls back to REST alone when the socket has not connected after 2 s', async () => {
    const hook = renderHook(() => useLiveAlerts(live.client, () => undefined));
    await advance(1_999);
    expect(api.count(ALERTS)).toBe(0);
    await advance(1);
    answer([alert('a1')]);
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.alerts.map((a) => a.id)).toEqual(['a1']);
  });

  it('applies an acknowledged alert from the API answer without announcing it', async () => {
    const hook = await watching([alert('a1', { level: 'critical' })]);
    const acked = alert('a1', { level: 'critical', acknowledgedBy: 'admin', updatedAt: '2026-11-02T08:03:00+08:00' });
    act(() => hook.result.current.upsert(acked));
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.alerts).toEqual([acked]);
    expect(announced).toEqual([]);
  });

  it('keeps the alerts resolved in the last hour, and forgets them an hour after they ended without a reload', async () => {
    const ended = (minutesAgo: number) => new Date(Date.parse(NOW) - minutesAgo * 60_000).toISOString();
    const hook = await watching(
      [],
      [
        alert('r1', { state: 'resolved', resolvedAt: ended(5), updatedAt: ended(5) }),
        alert('r2', { state: 'resolved', resolvedAt: ended(50), updatedAt: ended(50) }),
        alert('r3', { state: 'resolved', resolvedAt: ended(70), updatedAt: ended(70) }),
      ],
    );
    // The one resolved 70 minutes ago is not recent; the other two are, most recently resolved first.
    expect(hook.result.current.resolved.map((a) => a.id)).toEqual(['r1', 'r2']);
    await advance(11 * 60_000);
    expect(hook.result.current.resolved.map((a) => a.id)).toEqual(['r1']);
    await advance(50 * 60_000);
    expect(hook.result.current.resolved).toEqual([]);
    expect(api.count(ALERTS)).toBe(2);
  });

  it('forgets a resolved alert that never fired (a pending one that lapsed)', async () => {
    const hook = await watching([]);
    act(() =>
      live.emit('alert.changed', {
        change: 'resolved',
        alert: { ...alert('p1', { state: 'resolved', resolvedAt: NOW, updatedAt: NOW }), firedAt: null },
      }),
    );
    await advance(LIVE_FLUSH_MS);
    expect(hook.result.current.resolved).toEqual([]);
  });

  it('lets go of the socket and aborts its snapshot when unmounted', async () => {
    const hook = renderHook(() => useLiveAlerts(live.client, () => undefined));
    act(() => live.connect());
    const requests = snapshot();
    hook.unmount();
    await settle();
    expect(requests.open.aborted).toBe(true);
    expect(requests.resolved.aborted).toBe(true);
    expect(live.listenerCount).toBe(0);
  });
});
