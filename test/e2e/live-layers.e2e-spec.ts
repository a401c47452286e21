import type { Browser, Page } from 'playwright-core';
import { createUser, kioskToken, login, startStack, type TestStack, type TestUser } from '../support/stack';
import {
  cspViolations,
  launchBrowser,
  painted,
  waitUntil,
  screenshotPath,
  WALL_VIEWPORTS,
  signInThroughForm,
  requireBuiltWebApp,
} from './browser';

jest.setTimeout(300_000);

const FEED = 'e2e-live-air';
const LAYER = `live-${FEED}`;
const STATION = 'e2e-live-station';
const INDICATOR = 'e2e-live.aqi_max';
/** An entity feed whose one pump reports its water level as a prop of each state. */
const PUMPS = 'e2e-live-pumps';
const PUMP = 'e2e-live-pump';
const TIANHE = '440106';
const ZOOM = 13;

/** Web-mercator projection as MapLibre does it (512-pixel tiles, no pitch or bearing): a point's pixel on the page. */
function project(camera: { lon: number; lat: number; zoom: number }, [lon, lat]: number[], viewport: { width: number; height: number }) {
  const world = 512 * 2 ** camera.zoom;
  const x = (l: number) => ((l + 180) / 360) * world;
  const y = (p: number) => {
    const r = (p * Math.PI) / 180;
    return ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * world;
  };
  return { x: x(lon) - x(camera.lon) + viewport.width / 2, y: y(lat) - y(camera.lat) + viewport.height / 2 };
}

function cameraOf(url: string): { lon: number; lat: number; zoom: number } {
  const params = new URL(url).searchParams;
  const [lon, lat] = (params.get('c') ?? '').split(',').map(Number);
  return { lon, lat, zoom: Number(params.get('z')) };
}

describe('a live layer on the analyst’s map: toggled on, moved by a socket delta without a reload, its entity’s trend in the popup', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;
  let admin: string;
  let analyst: TestUser;
  let errors: string[];
  let here: [number, number];

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
  };
  const reading = (value: number, ts: Date, at: [number, number]) => ({
    id: `${STATION}-${ts.toISOString()}`,
    entity: STATION,
    metric: 'aqi',
    value,
    ts: ts.toISOString(),
    location: at,
    props: { name: '天河测试站' },
  });
  /** Clicks the map at a place and waits for the popup of the entity there. */
  const openStationPopup = async (at: [number, number]) => {
    const { x, y } = project(cameraOf(page.url()), at, WALL_VIEWPORTS.fullHd);
    await page.mouse.click(x, y);
    const popup = page.locator('[data-testid="map-popup"][data-kind="entity"]');
    await popup.waitFor({ timeout: 10_000 });
    return popup;
  };
  const closePopup = async () => {
    const popup = page.locator('[data-testid="map-popup"]');
    await popup.locator('xpath=ancestor::div[contains(@class, "maplibregl-popup")]').locator('.maplibregl-popup-close-button').click();
    await popup.waitFor({ state: 'detached', timeout: 5_000 });
  };

  beforeAll(async () => {
    requireBuiltWebApp();
    stack = await startStack({ workers: 0 });
    admin = await login(stack.url);
    const { rows } = await stack.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM area WHERE code = $1`,
      [TIANHE],
    );
    here = [rows[0].lon, rows[0].lat];
    await post('/api/feeds', {
      key: FEED,
      name: '端到端空气站',
      nameEn: 'E2E air stations',
      theme: 'environment',
      metrics: [{ key: 'aqi', name: '空气质量指数', unit: 'AQI', min: 0, max: 500 }],
      expectedIntervalSeconds: 60,
    });
    // A day of the station, one reading an hour, rising from 60 to 129.
    const now = Date.now();
    await post(
      `/api/feeds/${FEED}/records`,
      Array.from({ length: 24 }, (_, h) => reading(60 + 3 * h, new Date(now - (23 - h) * 3600_000 - 300_000), here)),
    );
    await post('/api/indicators', {
      key: INDICATOR,
      name: '端到端最高AQI',
      theme: 'environment',
      grouping: { levels: ['district'] },
      source: { kind: 'aggregate', feed: FEED, metric: 'aqi', windowSeconds: 3600, perEntity: 'latest', across: 'max' },
      thresholds: { levels: [{ level: 'warning', op: '>=', value: 100 }] },
    });
    analyst = await createUser(stack.url, admin, { username: 'live-map-analyst', roles: ['analyst'] });

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    errors = cspViolations(page);
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${stack.url}/map?lang=zh&c=${here[0]},${here[1]}&z=${ZOOM}`);
    await signInThroughForm(page, analyst.username, analyst.password);
    await page.waitForSelector(`[data-testid="layer-toggle"][data-layer="${LAYER}"]`, { timeout: 60_000 });
  });
  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await stack?.stop();
  });
  afterEach(() => {
    expect(errors).toEqual([]);
  });

  it('draws the layer when toggled on, and opens its station’s popup with the day’s trend, its unit, range and threshold line', async () => {
    await page.locator(`[data-testid="layer-toggle"][data-layer="${LAYER}"]`).check();
    await page.waitForSelector(`[data-testid="live-layer"][data-layer="${LAYER}"][data-features="1"]`, {
      state: 'attached',
      timeout: 30_000,
    });
    await waitUntil(
      page,
      `
        const counts = JSON.parse(document.querySelector('[data-testid="analyst-map"]')?.getAttribute('data-rendered') || '{}');
        return (counts[${JSON.stringify(`catalog:${LAYER}`)}] || 0) >= 1;`,
      { timeout: 30_000, polling: 200 },
    );
    const legend = page.locator(`[data-testid="visible-layer"][data-layer="${LAYER}"]`);
    expect(await legend.textContent()).toContain('实时更新');

    const popup = await openStationPopup(here);
    expect(await popup.locator('h3').textContent()).toBe('天河测试站');
    expect(await popup.locator('dl').textContent()).toContain('129 AQI');
    const trend = popup.locator('[data-testid="entity-trend"][data-metric="aqi"]');
    const chart = trend.locator('[data-testid="trend-chart"][data-rendered="true"]');
    await chart.waitFor({ timeout: 20_000 });
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(24);
    expect(await chart.getAttribute('data-threshold-lines')).toBe('1');
    const caption = (await trend.textContent()) ?? '';
    expect(caption).toContain('近24小时');
    expect(caption).toContain('单位 AQI');
    expect(caption).toContain('有效范围 0–500');
    expect(caption).toContain('端到端最高AQI');
    await painted(page);
    await page.screenshot({ path: screenshotPath('live-layer-1080-zh-station-trend') });
    await closePopup();
  });

  it('moves the station and shows its new reading when a record is ingested, without a reload', async () => {
    // Page-side code as source text (this tier compiles without the DOM library): a mark a reload would wipe.
    await page.evaluate('window.beforeIngest = true');
    const moved: [number, number] = [here[0] + 0.01, here[1] + 0.005];
    await post(`/api/feeds/${FEED}/records`, [reading(188, new Date(), moved)]);
    await page.waitForSelector(`[data-testid="live-layer"][data-layer="${LAYER}"][data-deltas="1"][data-features="1"]`, {
      state: 'attached',
      timeout: 20_000,
    });
    // Drawn where the delta put it (the map goes idle again after setData).
    await waitUntil(
      page,
      `
        const counts = JSON.parse(document.querySelector('[data-testid="analyst-map"]')?.getAttribute('data-rendered') || '{}');
        return (counts[${JSON.stringify(`catalog:${LAYER}`)}] || 0) >= 1;`,
      { timeout: 30_000, polling: 200 },
    );
    const popup = await openStationPopup(moved);
    expect(await popup.locator('dl').textContent()).toContain('188 AQI');
    expect(await page.evaluate('window.beforeIngest === true')).toBe(true);
    await popup.locator('[data-testid="entity-trend"] [data-testid="trend-chart"][data-rendered="true"]').waitFor({ timeout: 20_000 });
    await painted(page);
    await page.screenshot({ path: screenshotPath('live-layer-1080-zh-moved') });
    await closePopup();
  });

  it('draws the live layer on a wall scene that names it, under the labels, and moves it there with the next reading', async () => {
    const put = await fetch(`${stack.url}/api/scenes/e2e-live`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'theme', name: '实时监测站', nameEn: 'Live stations', layers: [LAYER] }),
    });
    expect(put.status).toBe(200);
    const wall = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    const wallErrors = cspViolations(wall);
    try {
      await wall.goto(`${stack.url}/wall?kiosk=${kioskToken}&scene=e2e-live`);
      const drawn = (deltas: number) => `
        const frame = document.querySelector('[data-testid="wall-map"]');
        const rendered = JSON.parse(frame?.getAttribute('data-scene-rendered') || '{}');
        const layer = document.querySelector('[data-testid="live-layer"][data-layer="${LAYER}"]');
        return (rendered['catalog:${LAYER}'] || 0) >= 1 && Number(layer?.getAttribute('data-deltas') || 0) >= ${deltas};`;
      await waitUntil(wall, drawn(0), { timeout: 60_000, what: 'the live layer drawn on the wall' });
      await post(`/api/feeds/${FEED}/records`, [reading(61, new Date(), here)]);
      await waitUntil(wall, drawn(1), { timeout: 30_000, what: 'a delta applied on the wall' });
      await painted(wall);
      await wall.screenshot({ path: screenshotPath('wall-1080-live-layer') });
      expect(wallErrors).toEqual([]);
    } finally {
      await wall.close();
    }
  });
  it('opens a pump’s popup with the day of its water level, a numeric prop of its states, named by the feed’s metric', async () => {
    const pumpAt: [number, number] = [here[0] - 0.01, here[1] - 0.005];
    await post('/api/feeds', {
      key: PUMPS,
      name: '端到端泵站',
      nameEn: 'E2E pumps',
      theme: 'water',
      kind: 'entity',
      metrics: [{ key: 'level', name: '前池水位', unit: 'm', min: 0, max: 6 }],
    });
    // A day of states every half-hour: the level rises and falls with the tide, the status never changes.
    const now = Date.now();
    const put = await fetch(`${stack.url}/api/feeds/${PUMPS}/entities`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        entities: Array.from({ length: 48 }, (_, i) => ({
          id: PUMP,
          ts: new Date(now - (47 - i) * 1800_000 - 60_000).toISOString(),
          location: pumpAt,
          props: { name: '端到端排涝泵站', status: 'online', level: Math.round((3 + 1.5 * Math.sin(i / 4)) * 100) / 100 },
        })),
      }),
    });
    expect(put.status).toBe(200);
    const layer = `live-${PUMPS}`;
    await page.reload();
    await page.locator(`[data-testid="layer-toggle"][data-layer="${layer}"]`).check({ timeout: 30_000 });
    await waitUntil(
      page,
      `
        const counts = JSON.parse(document.querySelector('[data-testid="analyst-map"]')?.getAttribute('data-rendered') || '{}');
        return (counts[${JSON.stringify(`catalog:${layer}`)}] || 0) >= 1;`,
      { timeout: 30_000, polling: 200 },
    );
    const popup = await openStationPopup(pumpAt);
    expect(await popup.locator('h3').textContent()).toBe('端到端排涝泵站');
    const trend = popup.locator('[data-testid="entity-trend"][data-metric="level"][data-source="prop"]');
    const chart = trend.locator('[data-testid="trend-chart"][data-rendered="true"]');
    await chart.waitFor({ timeout: 20_000 });
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(47);
    expect(await chart.getAttribute('data-threshold-lines')).toBe('0');
    const caption = (await trend.textContent()) ?? '';
    expect(caption).toContain('前池水位 近24小时');
    expect(caption).toContain('单位 m');
    expect(caption).toContain('有效范围 0–6');
    expect(caption).toContain('取自状态属性 level');
    expect(caption).toContain('无适用的指标阈值');
    // The status is text and the name is text: no trend for them.
    expect(await popup.locator('[data-testid="entity-trend"]').count()).toBe(1);
    await painted(page);
    await page.screenshot({ path: screenshotPath('live-layer-1080-zh-pump-prop-trend') });
    await closePopup();

    // The same in English (the view, its layers included, is kept in the URL).
    const english = new URL(page.url());
    english.searchParams.set('lang', 'en');
    await page.goto(english.toString());
    await waitUntil(
      page,
      `
        const counts = JSON.parse(document.querySelector('[data-testid="analyst-map"]')?.getAttribute('data-rendered') || '{}');
        return (counts[${JSON.stringify(`catalog:${layer}`)}] || 0) >= 1;`,
      { timeout: 30_000, polling: 200 },
    );
    const enTrend = (await openStationPopup(pumpAt)).locator('[data-testid="entity-trend"][data-metric="level"][data-source="prop"]');
    await enTrend.locator('[data-testid="trend-chart"][data-rendered="true"]').waitFor({ timeout: 20_000 });
    const enCaption = (await enTrend.textContent()) ?? '';
    expect(enCaption).toContain('level, last 24 h');
    expect(enCaption).toContain('from its state prop level');
    expect(enCaption).toContain('no indicator thresholds apply');
    await painted(page);
    await page.screenshot({ path: screenshotPath('live-layer-1080-en-pump-prop-trend') });
    await closePopup();
  });
});
