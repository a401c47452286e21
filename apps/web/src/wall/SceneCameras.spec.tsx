import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import type { CameraView, LayerView } from '@cityops/contracts';
import { setLang } from '../i18n';
import { FakeApi, type FakeRequest } from '../testing/fake-api';
import { SceneCamerasPanel, SNAPSHOT_REFRESH_MS } from './SceneCameras';
import { SceneLayersLegend } from './SceneLayers';

const camera = (id: string, status: CameraView['status']): CameraView => ({
  feed: 'cams',
  id,
  name: `摄像头 ${id}`,
  nameEn: `Camera ${id}`,
  location: [113.3, 23.1],
  heading: 90,
  kind: 'fixed',
  status,
  area: '440106001',
  ts: '2026-11-30T00:00:00Z',
  snapshot: `/api/cameras/cams/${id}/snapshot`,
  streamUrl: null,
  distanceMeters: null,
  demo: true,
});

/** Answers a request inside React's `act`, and lets the answer's promise chain reach the state. */
async function answer(request: FakeRequest, status: number, body: unknown): Promise<void> {
  await act(async () => {
    request.reply(status, body);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
}

describe('a scene’s cameras on the wall', () => {
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
    cleanup();
    api.uninstall();
    jest.useRealTimers();
  });

  it('asks for the area’s code, then that feed’s cameras there, and shows the working ones first up to the count', async () => {
    render(<SceneCamerasPanel spec={{ feedKey: 'cams', areaId: 7, count: 2 }} areaName="天河区" />);
    expect(screen.getByText('正在加载视频…')).toBeTruthy();
    await answer(api.only('/api/areas/7'), 200, { id: 7, code: '440106' });
    const list = api.only('/api/cameras');
    expect(Object.fromEntries(list.query)).toEqual({ area: '440106', feed: 'cams', limit: '8' });
    await answer(list, 200, [camera('a', 'offline'), camera('b', 'fault'), camera('c', 'online')]);
    const tiles = screen.getAllByTestId('camera-tile');
    expect(tiles.map((t) => t.dataset.cameraId)).toEqual(['c', 'b']);
    expect(within(tiles[1]).getByText('故障')).toBeTruthy();
    expect(screen.getByTestId('scene-cameras').dataset.count).toBe('2');
    expect(screen.getByText('天河区')).toBeTruthy();
    expect(screen.getByText('2 路')).toBeTruthy();
  });

  it('spreads a city-wide scene’s cameras over the districts, one of each in turn', async () => {
    render(<SceneCamerasPanel spec={{ feedKey: 'cams', areaId: null, count: 2 }} areaName={null} />);
    const districts = api.only('/api/areas');
    expect(districts.query.get('level')).toBe('district');
    await answer(districts, 200, [
      { id: 3, code: '440104' },
      { id: 4, code: '440106' },
    ]);
    const lists = api.pending('/api/cameras');
    expect(lists.map((r) => [r.query.get('area'), r.query.get('feed'), r.query.get('limit')])).toEqual([
      ['440104', 'cams', '4'],
      ['440106', 'cams', '4'],
    ]);
    await answer(lists[1], 200, [camera('t1', 'online'), camera('t2', 'online')]);
    await answer(lists[0], 200, [camera('y1', 'online'), camera('y2', 'online')]);
    expect(screen.getAllByTestId('camera-tile').map((t) => t.dataset.cameraId)).toEqual(['y1', 't1']);
    expect(screen.getByText('全市')).toBeTruthy();
  });

  it('uses the city-level area when the city has no districts, and says so when the feed has no camera there', async () => {
    render(<SceneCamerasPanel spec={{ feedKey: 'cams', areaId: null, count: 4 }} areaName={null} />);
    await answer(api.only('/api/areas'), 200, []);
    const cities = api.only('/api/areas');
    expect(cities.query.get('level')).toBe('city');
    await answer(cities, 200, [{ id: 1, code: '4401' }]);
    const list = api.only('/api/cameras');
    expect(list.query.get('area')).toBe('4401');
    await answer(list, 200, []);
    expect(screen.getByText('该区域暂无此视频源的摄像头')).toBeTruthy();
    expect(screen.queryAllByTestId('camera-tile')).toHaveLength(0);
  });

  it('fetches a new frame every half minute and frees the old one once the new one shows', async () => {
    jest.useFakeTimers();
    render(<SceneCamerasPanel spec={{ feedKey: 'cams', areaId: 7, count: 1 }} areaName="天河区" />);
    await answer(api.only('/api/areas/7'), 200, { id: 7, code: '440106' });
    await answer(api.only('/api/cameras'), 200, [camera('c', 'online')]);
    await answer(api.only('/api/cameras/cams/c/snapshot'), 200, '<svg/>');
    const tile = screen.getByTestId('camera-tile');
    expect(within(tile).getByRole('img').getAttribute('src')).toBe('blob:frame-0');
    act(() => {
      jest.advanceTimersByTime(SNAPSHOT_REFRESH_MS);
    });
    // The old frame stays up while the next one loads.
    expect(within(tile).getByRole('img').getAttribute('src')).toBe('blob:frame-0');
    await answer(api.only('/api/cameras/cams/c/snapshot'), 200, '<svg/>');
    expect(within(tile).getByRole('img').getAttribute('src')).toBe('blob:frame-1');
    expect(revoked).toEqual(['blob:frame-0']);
  });
});

describe('the legend of a scene’s layers', () => {
  const layer = (key: string, name: string, nameEn: string): LayerView => ({
    key,
    name,
    nameEn,
    kind: 'vector',
    theme: 'water',
    themeName: '水务',
    themeNameEn: 'Water',
    tiles: `/api/tiles/${key}/{z}/{x}/{y}.mvt`,
    sourceLayer: 'heat',
    minzoom: 8,
    maxzoom: 16,
    featuresUrl: null,
    legend: { symbol: 'heatmap', color: '#ff5500', property: 'count', unit: 'mm' },
  });

  afterEach(() => {
    cleanup();
    act(() => setLang('zh'));
  });

  it('lists the drawn layers top first with what their colour stands for, and names the keys it could not draw', () => {
    act(() => setLang('en'));
    render(
      <SceneLayersLegend
        layers={[layer('heat-rain~rainfall', '降雨', 'Rain'), layer('heat-water~depth', '积水', 'Standing water')]}
        missing={['entities-gone']}
      />,
    );
    const items = screen.getAllByTestId('scene-legend-item');
    expect(items.map((i) => i.dataset.layer)).toEqual(['heat-water~depth', 'heat-rain~rainfall']);
    expect(items[0].textContent).toContain('Standing water');
    expect(items[0].textContent).toContain('by count (mm)');
    expect(screen.getByTestId('scene-layers-missing').textContent).toBe('Layers not found, not drawn: entities-gone');
  });

  it('shows nothing for a scene without layers', () => {
    const { container } = render(<SceneLayersLegend layers={[]} missing={[]} />);
    expect(container.innerHTML).toBe('');
  });
});
