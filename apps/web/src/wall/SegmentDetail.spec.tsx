import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { AlertView, AreaView, CameraView } from '@cityops/contracts';
import { setLang } from '../i18n';
import { DEFAULT_THRESHOLDS } from '../live/load-thresholds';
import { QUIET_ALERT_FIELDS } from '../testing/alerts';
import { FakeApi, type FakeRequest } from '../testing/fake-api';
import { SegmentDetail, TREND_WINDOW_MS } from './SegmentDetail';

const segment: AreaView = {
  id: 42,
  code: 'Z-03',
  name: '第3段',
  nameEn: 'Segment 3',
  level: 'zone',
  parentId: null,
  zoneSet: 'course',
  seq: 3,
  capacity: 1000,
  population: null,
  households: null,
} as AreaView;

const camera = (id: string, status: CameraView['status']): CameraView => ({
  feed: 'cams',
  id,
  name: `球机 ${id}`,
  location: [113.3, 23.1],
  heading: 90,
  kind: 'dome',
  status,
  area: 'g-1',
  ts: '2026-11-30T00:00:00Z',
  nameEn: `Dome ${id}`,
  snapshot: `/api/cameras/cams/${id}/snapshot`,
  streamUrl: null,
  distanceMeters: 12,
  demo: true,
});

const alert = (id: string, patch: Partial<AlertView>): AlertView => ({
  ...QUIET_ALERT_FIELDS,
  id,
  indicatorKey: 'crowd.load',
  areaId: 42,
  areaCode: 'Z-03',
  areaName: '第3段',
  level: 'warning',
  state: 'firing',
  value: 0.85,
  threshold: 0.8,
  title: '第3段 · 负荷',
  center: null,
  startedAt: '2026-11-30T00:00:00Z',
  firedAt: '2026-11-30T00:00:00Z',
  updatedAt: '2026-11-30T00:00:00Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  ...patch,
});

/** Answers a request inside React's `act`, and lets the answer's promise chain reach the state. */
async function answer(request: FakeRequest, status: number, body: unknown): Promise<void> {
  await act(async () => {
    request.reply(status, body);
    await Promise.resolve();
  });
}

describe('a zone’s panel on the wall', () => {
  let api: FakeApi;
  let created: string[];
  let revoked: string[];

  beforeEach(() => {
    api = new FakeApi().install();
    created = [];
    revoked = [];
    URL.createObjectURL = jest.fn(() => {
      const url = `blob:frame-${created.length}`;
      created.push(url);
      return url;
    });
    URL.revokeObjectURL = jest.fn((url: string) => {
      revoked.push(url);
    });
    setLang('zh');
  });
  afterEach(() => {
    api.uninstall();
    act(() => setLang('zh'));
  });

  const open = (onClose = jest.fn()) => {
    render(
      <SegmentDetail
        segment={segment}
        indicatorKey="crowd.load"
        value={{ areaId: 42, value: 0.91, numerator: 910, denominator: 1000, ts: '2026-11-30T00:00:00Z' } as never}
        thresholds={DEFAULT_THRESHOLDS}
        nameOf={(_, name) => name}
        onClose={onClose}
        trendChart={(points) => <span data-testid="trend-chart" data-points={points.length} />}
      />,
    );
    return onClose;
  };

  it('shows its cameras in a grid with names and status, each frame fetched with the token and shown from a blob', async () => {
    open();
    const cameras = api.only('/api/cameras');
    expect(cameras.query.get('area')).toBe('Z-03');
    await answer(cameras, 200, [camera('c1', 'online'), camera('c2', 'fault')]);
    const tiles = screen.getAllByTestId('camera-tile');
    expect(tiles.map((t) => t.dataset.status)).toEqual(['online', 'fault']);
    expect(within(tiles[1]).getByText('球机 c2')).toBeTruthy();
    expect(within(tiles[1]).getByText('故障')).toBeTruthy();
    expect(screen.getByText('周边视频（2 路）')).toBeTruthy();
    await answer(api.only('/api/cameras/cams/c1/snapshot'), 200, '<svg/>');
    expect(within(tiles[0]).getByRole('img').getAttribute('src')).toBe('blob:frame-0');
    expect(within(tiles[1]).getByText('正在加载画面…')).toBeTruthy();
  });

  it('asks for the last hour of the zone’s stored loads and states the window and thresholds', async () => {
    const before = Date.now();
    open();
    const trend = api.only('/api/indicators/crowd.load/values');
    expect(trend.query.get('area')).toBe('42');
    expect(trend.query.get('step')).toBe('raw');
    const from = Date.parse(trend.query.get('from') ?? '');
    expect(before - from).toBeGreaterThanOrEqual(TREND_WINDOW_MS - 5000);
    expect(before - from).toBeLessThanOrEqual(TREND_WINDOW_MS + 5000);
    await answer(trend, 200, []);
    expect(screen.getByText('近1小时负荷')).toBeTruthy();
    expect(screen.getByText('近1小时无数据')).toBeTruthy();
    expect(screen.getByText('阈值：预警 ≥ 80%，严重 ≥ 100%')).toBeTruthy();
    expect(screen.getByTestId('segment-detail-load').textContent).toBe('91%');
  });

  it('draws the trend from the buckets it got', async () => {
    open();
    const points = [0, 1, 2].map((m) => ({
      areaId: 42,
      ts: new Date(Date.now() - m * 60_000).toISOString(),
      value: 0.5,
      numerator: null,
      denominator: null,
    }));
    await answer(api.only('/api/indicators/crowd.load/values'), 200, points);
    expect(screen.getByTestId('trend-chart').dataset.points).toBe('3');
  });

  it('lists the zone’s alerts, open and resolved', async () => {
    open();
    const alerts = api.only('/api/alerts');
    expect(alerts.query.get('area')).toBe('42');
    await answer(alerts, 200, [
      alert('a1', { level: 'critical', value: 1.05 }),
      alert('a2', { state: 'resolved', resolvedAt: '2026-11-30T01:00:00Z' }),
    ]);
    const rows = screen.getAllByTestId('segment-detail-alert');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('105%');
    expect(rows[0].textContent).toContain('未恢复');
    expect(rows[1].textContent).toContain('已恢复');
  });

  it('closes with its button or Escape, and frees the frames it made', async () => {
    const onClose = open();
    await answer(api.only('/api/cameras'), 200, [camera('c1', 'online')]);
    await answer(api.only('/api/cameras/cams/c1/snapshot'), 200, '<svg/>');
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: '关闭并返回大屏' }));
    expect(onClose).toHaveBeenCalledTimes(2);
    // The wall closes it by unmounting it: the frame's object URL goes with it.
    expect(revoked).toEqual([]);
    cleanup();
    expect(revoked).toEqual(['blob:frame-0']);
  });

  it('speaks English when switched', async () => {
    setLang('en');
    open();
    await answer(api.only('/api/cameras'), 200, []);
    expect(screen.getByText('No camera within 150 m')).toBeTruthy();
    expect(screen.getByText('Load, last hour')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Close and return to the wall' })).toBeTruthy();
  });
});
