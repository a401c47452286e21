import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { AlertView, SessionUser } from '@cityops/contracts';
import { sessionUser } from '../admin/testing/session-user';
import { acknowledgeAlert } from '../api/wall-api';
import { canAcknowledge, canSilence } from '../auth/session';
import { setLang } from '../i18n';
import type { LiveClient } from '../live/socket';
import { LIVE_FLUSH_MS } from '../live/throttle';
import { QUIET_ALERT_FIELDS } from '../testing/alerts';
import { FakeApi } from '../testing/fake-api';
import { FakeLiveClient } from '../testing/fake-live-client';
import { advance } from '../testing/timers';
import type { WallAlert } from './alert-status';
import { AlertList, type IndicatorInfo } from './AlertList';
import { CriticalBanner } from './CriticalBanner';
import { BANNER_FLASH_MS, useWallAlerts } from './useWallAlerts';

const ALERTS = '/api/alerts';
const START = Date.parse('2026-11-02T08:00:00+08:00');
const iso = (ms: number) => new Date(ms).toISOString();

function alert(id: string, patch: Partial<AlertView> = {}): AlertView {
  return {
    ...QUIET_ALERT_FIELDS,
    id,
    indicatorKey: 'crowd.load',
    areaId: 7,
    areaCode: 'Z-7',
    areaName: '第7段',
    level: 'critical',
    state: 'firing',
    value: 1.18,
    threshold: 1,
    title: '第7段 · 路段负荷',
    center: null,
    startedAt: iso(START),
    firedAt: iso(START),
    updatedAt: iso(START),
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    ...patch,
  };
}

const indicator: IndicatorInfo = { label: () => '路段负荷', style: () => ({ unit: 'ratio' }) };

/** The wall's three readers of the alert store side by side: banner, KPI figure, list. */
function Harness({
  live,
  onAck,
  onSilence,
}: {
  live: LiveClient;
  onAck?: (alert: WallAlert, comment: string) => void;
  onSilence?: (alert: WallAlert, reason: string) => void;
}) {
  const alerts = useWallAlerts(live);
  const nameOf = (_: number, fallback: string) => fallback;
  return (
    <>
      <CriticalBanner story={alerts.story} flashing={alerts.flashing} nameOf={nameOf} indicator={indicator} />
      <span data-testid="kpi-open-alerts">{alerts.loaded ? alerts.counts.active : '—'}</span>
      <span data-testid="kpi-critical">{alerts.counts.critical}</span>
      <AlertList
        active={alerts.alerts}
        resolved={alerts.resolved}
        freshIds={alerts.freshIds}
        nameOf={nameOf}
        indicator={indicator}
        onAcknowledge={
          onAck
            ? (a, comment) => {
                onAck(a, comment);
              }
            : undefined
        }
        onSilence={onSilence}
      />
    </>
  );
}

/** What each reader says right now. */
function story() {
  const banner = screen.queryByTestId('critical-banner');
  return {
    banner: banner?.getAttribute('data-alert-id') ?? null,
    kpi: screen.getByTestId('kpi-open-alerts').textContent,
    critical: screen.getByTestId('kpi-critical').textContent,
    listed: screen.queryAllByTestId('alert-item').map((li) => li.getAttribute('data-alert-id')),
    recent: screen.queryAllByTestId('alert-recent').map((li) => li.getAttribute('data-alert-id')),
  };
}

describe('the wall tells one story about alerts', () => {
  let api: FakeApi;
  let live: FakeLiveClient;

  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(START);
    setLang('zh');
    api = new FakeApi().install();
    live = new FakeLiveClient();
  });
  afterEach(() => {
    api.uninstall();
    jest.useRealTimers();
  });

  async function started(onAck?: (alert: WallAlert, comment: string) => void, onSilence?: (alert: WallAlert, reason: string) => void) {
    const view = render(<Harness live={live.client} onAck={onAck} onSilence={onSilence} />);
    act(() => live.connect());
    for (const request of api.pending(ALERTS)) request.reply(200, []);
    await advance(LIVE_FLUSH_MS);
    return view;
  }

  it('banner, list and KPI agree through a surge that opens, resolves 3 s later and opens again; the resolved one stays as recent with its duration', async () => {
    await started();
    expect(story()).toEqual({ banner: null, kpi: '0', critical: '0', listed: [], recent: [] });

    const opened = iso(Date.now());
    act(() => live.emit('alert.changed', { change: 'fired', alert: alert('a1', { firedAt: opened, updatedAt: opened }) }));
    await advance(LIVE_FLUSH_MS);
    expect(story()).toEqual({ banner: 'a1', kpi: '1', critical: '1', listed: ['a1'], recent: [] });
    expect(screen.getByTestId('critical-banner').className).toContain('critical-banner--flashing');
    expect(screen.getByTestId('critical-banner').textContent).toContain('118%');

    // The next reading, 3 s later, brings the segment back down: everything drops it in the same render.
    await advance(3_000 - LIVE_FLUSH_MS);
    const resolvedAt = iso(Date.parse(opened) + 3_000);
    act(() =>
      live.emit('alert.changed', {
        change: 'resolved',
        alert: alert('a1', { state: 'resolved', firedAt: opened, resolvedAt, updatedAt: resolvedAt }),
      }),
    );
    await advance(LIVE_FLUSH_MS);
    expect(story()).toEqual({ banner: null, kpi: '0', critical: '0', listed: [], recent: ['a1'] });
    expect(screen.getByTestId('alert-recent-lasted').textContent).toBe('持续 3秒');

    // It comes back as a new alert: banner, list and KPI again as one, the first still recent.
    await advance(7_000);
    const reopened = iso(Date.now());
    act(() => live.emit('alert.changed', { change: 'fired', alert: alert('a2', { firedAt: reopened, updatedAt: reopened }) }));
    await advance(LIVE_FLUSH_MS);
    expect(story()).toEqual({ banner: 'a2', kpi: '1', critical: '1', listed: ['a2'], recent: ['a1'] });

    // After the flash the banner stays, steady, as long as the alert is active and unacknowledged.
    // (In steps: React applies the state a timer sets when each `act` ends, and the next deadline is set from there.)
    for (let waited = 0; waited <= BANNER_FLASH_MS; waited += 5_000) await advance(5_000);
    expect(story().banner).toBe('a2');
    expect(screen.getByTestId('critical-banner').className).not.toContain('critical-banner--flashing');

    // An hour after it ended the first one leaves the recent section by itself.
    await advance(60 * 60_000);
    expect(story().recent).toEqual([]);
    expect(screen.getByTestId('alert-duration').textContent).toMatch(/^已持续 1小时0?0分$/);
  });

  it('shows a burst of 50 alerts as groups by area with counts, and the banner names the most severe group with "+N more"', async () => {
    await started();
    act(() => {
      for (let i = 0; i < 50; i++) {
        const areaId = (i % 5) + 1;
        const level = areaId === 3 || i === 0 ? 'critical' : 'warning';
        live.emit('alert.changed', {
          change: 'fired',
          alert: alert(`b${i}`, { areaId, areaCode: `D-${areaId}`, areaName: `区${areaId}`, indicatorKey: `ind.${i % 10}`, level }),
        });
      }
    });
    await advance(LIVE_FLUSH_MS);
    expect(screen.queryAllByTestId('alert-item')).toHaveLength(0);
    const groups = screen.getAllByTestId('alert-group');
    expect(groups.map((g) => [g.getAttribute('data-group'), g.getAttribute('data-count')])).toEqual([
      ['area:3', '10'],
      ['area:1', '10'],
      ['area:2', '10'],
      ['area:4', '10'],
      ['area:5', '10'],
    ]);
    expect(within(groups[0]).getByText('10 条告警')).toBeTruthy();
    expect(screen.getByTestId('kpi-open-alerts').textContent).toBe('50');
    const banner = screen.getByTestId('critical-banner');
    expect(banner.getAttribute('data-area-code')).toBe('D-3');
    expect(banner.textContent).toContain('本区域 10 条');
    expect(banner.textContent).toContain('另有 1 条');
  });

  it('offers acknowledgement with an optional comment to whoever may acknowledge, and shows who did', async () => {
    const acks: [string, string][] = [];
    await started((a, comment) => {
      acks.push([a.id, comment]);
      void acknowledgeAlert(a.id, comment);
    });
    act(() => live.emit('alert.changed', { change: 'fired', alert: alert('a1') }));
    await advance(LIVE_FLUSH_MS);

    fireEvent.click(screen.getByTestId('alert-ack'));
    const input = screen.getByTestId('alert-ack-comment');
    expect(document.activeElement).toBe(input);
    fireEvent.change(input, { target: { value: '  已派人到场  ' } });
    fireEvent.submit(screen.getByTestId('alert-ack-form'));
    expect(acks).toEqual([['a1', '已派人到场']]);
    const request = api.only(`${ALERTS}/a1/ack`);
    expect(request.method).toBe('POST');
    expect(request.body).toEqual({ comment: '已派人到场' });

    // The change reaches every wall through the socket.
    const acked = {
      ...alert('a1', { acknowledgedAt: iso(START + 5_000), acknowledgedBy: 'op.chen', updatedAt: iso(START + 5_000) }),
      ackComment: '已派人到场',
    };
    act(() => live.emit('alert.changed', { change: 'acknowledged', alert: acked }));
    await advance(LIVE_FLUSH_MS);
    expect(screen.getByTestId('alert-acked').textContent).toBe('op.chen 已确认“已派人到场”');
    expect(screen.queryByTestId('alert-ack')).toBeNull();
    // Seen by someone: the banner stands down; the alert stays listed and counted.
    expect(story()).toMatchObject({ banner: null, kpi: '1', listed: ['a1'] });
  });

  it('cancels the acknowledgement with Escape, sending nothing', async () => {
    await started(() => undefined);
    act(() => live.emit('alert.changed', { change: 'fired', alert: alert('a1') }));
    await advance(LIVE_FLUSH_MS);
    fireEvent.click(screen.getByTestId('alert-ack'));
    fireEvent.keyDown(screen.getByTestId('alert-ack-comment'), { key: 'Escape' });
    expect(screen.queryByTestId('alert-ack-form')).toBeNull();
    expect(screen.getByTestId('alert-ack')).toBeTruthy();
    expect(api.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('offers to silence an alert for an hour with a reason it needs, and offers it no more once the alert is silenced', async () => {
    const silenced: [string, string][] = [];
    await started(
      () => undefined,
      (a, reason) => silenced.push([a.id, reason]),
    );
    act(() => live.emit('alert.changed', { change: 'fired', alert: alert('a1') }));
    await advance(LIVE_FLUSH_MS);

    fireEvent.click(screen.getByTestId('alert-silence'));
    const input = screen.getByTestId('alert-silence-reason');
    expect(document.activeElement).toBe(input);
    // The acknowledgement waits while the reason is asked.
    expect(screen.queryByTestId('alert-ack')).toBeNull();
    expect(screen.getByTestId('alert-silence-submit').hasAttribute('disabled')).toBe(true);
    fireEvent.submit(screen.getByTestId('alert-silence-form'));
    expect(silenced).toEqual([]);
    fireEvent.change(input, { target: { value: '  道路施工，已知  ' } });
    fireEvent.submit(screen.getByTestId('alert-silence-form'));
    expect(silenced).toEqual([['a1', '道路施工，已知']]);
    expect(screen.queryByTestId('alert-silence-form')).toBeNull();

    act(() =>
      live.emit('alert.changed', {
        change: 'silenced',
        alert: alert('a1', { silencedBy: '6f1f7c1e-4f0a-4e55-9d55-1d3b1f7c9a01', updatedAt: iso(START + 5_000) }),
      }),
    );
    await advance(LIVE_FLUSH_MS);
    expect(screen.queryByTestId('alert-silence')).toBeNull();
    expect(screen.getByTestId('alert-item').textContent).toContain('已静默');
    // Silenced: no banner, still listed and counted; it can still be acknowledged.
    expect(story()).toMatchObject({ banner: null, kpi: '1', listed: ['a1'] });
    expect(screen.getByTestId('alert-ack')).toBeTruthy();
  });

  /** 50 alerts over 5 areas: too many for a row each, so the list groups them by area (area 3's all critical). */
  function burst() {
    act(() => {
      for (let i = 0; i < 50; i++) {
        const areaId = (i % 5) + 1;
        live.emit('alert.changed', {
          change: 'fired',
          alert: alert(`b${i}`, {
            areaId,
            areaCode: `D-${areaId}`,
            areaName: `区${areaId}`,
            indicatorKey: `ind.${i % 10}`,
            level: areaId === 3 ? 'critical' : 'warning',
            startedAt: iso(START - i * 1000),
          }),
        });
      }
    });
  }

  it('opens a group of a burst into its alerts, each acknowledged or silenced on its own like an ungrouped row', async () => {
    const silenced: [string, string][] = [];
    await started(
      (a, comment) => void acknowledgeAlert(a.id, comment),
      (a, reason) => silenced.push([a.id, reason]),
    );
    burst();
    await advance(LIVE_FLUSH_MS);
    const [area3] = screen.getAllByTestId('alert-group');
    expect(area3.getAttribute('data-group')).toBe('area:3');
    expect(screen.queryAllByTestId('alert-item')).toHaveLength(0);

    const toggle = within(area3).getByTestId('alert-group-toggle');
    expect(toggle.textContent).toBe('逐条处理');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.textContent).toBe('收起');
    const listed = within(area3).getAllByTestId('alert-item');
    // Area 3's ten alerts (b2, b7, … b47), newest first, each with both actions.
    expect(listed.map((li) => li.getAttribute('data-alert-id'))).toEqual([
      'b2',
      'b7',
      'b12',
      'b17',
      'b22',
      'b27',
      'b32',
      'b37',
      'b42',
      'b47',
    ]);
    expect(within(area3).getAllByTestId('alert-ack')).toHaveLength(10);
    expect(within(area3).getAllByTestId('alert-silence')).toHaveLength(10);

    fireEvent.click(within(listed[1]).getByTestId('alert-ack'));
    fireEvent.change(within(listed[1]).getByTestId('alert-ack-comment'), { target: { value: '已派人' } });
    fireEvent.submit(within(listed[1]).getByTestId('alert-ack-form'));
    const request = api.only(`${ALERTS}/b7/ack`);
    expect(request.body).toEqual({ comment: '已派人' });

    fireEvent.click(within(listed[0]).getByTestId('alert-silence'));
    fireEvent.change(within(listed[0]).getByTestId('alert-silence-reason'), { target: { value: '演练' } });
    fireEvent.submit(within(listed[0]).getByTestId('alert-silence-form'));
    expect(silenced).toEqual([['b2', '演练']]);

    // The acknowledgement comes back through the socket: the row in the open group says who, the group counts it.
    const acked = alert('b7', {
      areaId: 3,
      areaCode: 'D-3',
      areaName: '区3',
      indicatorKey: 'ind.7',
      startedAt: iso(START - 7000),
      acknowledgedAt: iso(START + 5_000),
      acknowledgedBy: 'op.chen',
      updatedAt: iso(START + 5_000),
    });
    act(() => live.emit('alert.changed', { change: 'acknowledged', alert: acked }));
    await advance(LIVE_FLUSH_MS);
    const group = screen.getAllByTestId('alert-group')[0];
    expect(within(group).getByText('已确认 1')).toBeTruthy();
    const b7 = within(group)
      .getAllByTestId('alert-item')
      .find((li) => li.getAttribute('data-alert-id') === 'b7');
    expect(b7?.getAttribute('data-acknowledged')).toBe('true');
    expect(b7 && within(b7).queryByTestId('alert-ack')).toBeNull();

    // One group open at a time: opening another closes this one; closing it leaves the summaries.
    const other = screen.getAllByTestId('alert-group')[1];
    fireEvent.click(within(other).getByTestId('alert-group-toggle'));
    expect(screen.getAllByTestId('alert-group-alerts')).toHaveLength(1);
    expect(within(other).getAllByTestId('alert-item')).toHaveLength(10);
    expect(group.getAttribute('data-open')).toBeNull();
    fireEvent.click(within(other).getByTestId('alert-group-toggle'));
    expect(screen.queryAllByTestId('alert-item')).toHaveLength(0);
  });

  it('keeps the groups of a burst closed, with nothing to press, on a read-only wall', async () => {
    await started();
    burst();
    await advance(LIVE_FLUSH_MS);
    expect(screen.getAllByTestId('alert-group')).toHaveLength(5);
    expect(screen.queryByTestId('alert-group-toggle')).toBeNull();
    expect(screen.queryAllByTestId('alert-item')).toHaveLength(0);
  });

  it('shows no acknowledge button on a read-only wall', async () => {
    await started();
    act(() => live.emit('alert.changed', { change: 'fired', alert: alert('a1') }));
    await advance(LIVE_FLUSH_MS);
    expect(screen.getAllByTestId('alert-item')).toHaveLength(1);
    expect(screen.queryByTestId('alert-ack')).toBeNull();
    expect(screen.queryByTestId('alert-silence')).toBeNull();
  });
});

describe('who may acknowledge and silence from the wall', () => {
  const callers: { name: string; user: SessionUser | null; may: boolean }[] = [
    { name: 'nobody signed in', user: null, may: false },
    { name: 'a display device (even one given an operator role)', user: sessionUser({ kind: 'display', roles: ['operator'] }), may: false },
    { name: 'a viewer', user: sessionUser({ roles: ['viewer'] }), may: false },
    { name: 'an analyst', user: sessionUser({ roles: ['analyst'] }), may: false },
    { name: 'an operator', user: sessionUser({ roles: ['operator'] }), may: true },
    { name: 'a commander', user: sessionUser({ roles: ['commander'] }), may: true },
    { name: 'an admin (the API lets admins do anything)', user: sessionUser({ roles: ['admin'] }), may: true },
  ];
  it.each(callers)('$name: $may', ({ user, may }) => {
    expect(canAcknowledge(user)).toBe(may);
    expect(canSilence(user)).toBe(may);
  });
});
