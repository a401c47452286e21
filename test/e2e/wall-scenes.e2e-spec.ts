import type { Browser, Page } from 'playwright-core';
import { kioskToken, login, startStack, type TestStack } from '../support/stack';
import { launchBrowser, painted, screenshotPath, waitUntil, WALL_VIEWPORTS, requireBuiltWebApp } from './browser';

/** A deadline, not a speed: WebGL runs on the CPU here, on a machine shared with other runs. */
jest.setTimeout(240_000);

/**
 * Ready for a screenshot: the map's canvas at its frame's size and at least `districts` district
 * names placed on it (the labels over the scene's layers), then painted.
 */
async function mapSettled(page: Page, districts: number): Promise<void> {
  await waitUntil(
    page,
    `const frame = document.querySelector('[data-testid="wall-map"]');
     const canvas = frame && frame.querySelector('.map-canvas canvas');
     return Boolean(canvas) && Math.round(parseFloat(canvas.style.width)) === frame.querySelector('.map-canvas').clientWidth
       && Number(frame.dataset.labelsDistricts || 0) >= ${districts};`,
    { timeout: 60_000, polling: 250, what: `the map at its frame's size with ${districts} district names` },
  );
  await painted(page);
}

/** The demo's theme and district scenes, and what they name (libs/demo/src/demo-wall.ts). */
const FLOOD = 'gz-flood';
const DISTRICT = 'gz-tianhe';
const TIANHE = '440106';
const RAIN_LAYER = 'catalog:heat-rain-gauges~rainfall';
const WATER_LAYER = 'catalog:heat-waterlogging~depth';
const STREETS_LAYER = 'catalog:areas-street';

interface Area {
  id: number;
  code: string;
  geometry?: { coordinates: number[][][][] } | null;
}

/** Points spread over a district: its outer ring's mean, and halfway from it to a few of the ring's corners. */
function pointsIn(area: Area, n: number): [number, number][] {
  const ring = area.geometry?.coordinates[0]?.[0] ?? [];
  const corners = ring.slice(0, ring.length - 1);
  const centre: [number, number] = [
    corners.reduce((s, p) => s + p[0], 0) / corners.length,
    corners.reduce((s, p) => s + p[1], 0) / corners.length,
  ];
  const step = Math.max(1, Math.floor(corners.length / n));
  return [
    centre,
    ...corners.filter((_, i) => i % step === 0).map((p): [number, number] => [(centre[0] + p[0]) / 2, (centre[1] + p[1]) / 2]),
  ].slice(0, n);
}

/**
 * What the wall's map reports at its last `idle`: the scene's layers in the style in this order
 * (bottom first, as the style lists them), each with features drawn.
 */
const mapReports = (layers: readonly string[], minRendered: number) => `
    const frame = document.querySelector('[data-testid="wall-map"]');
    if (!frame) return false;
    const ids = (frame.getAttribute('data-scene-layers') || '').split(',');
    const rendered = JSON.parse(frame.getAttribute('data-scene-rendered') || '{}');
    const wanted = ${JSON.stringify(layers)};
    const at = wanted.map((id) => ids.indexOf(id));
    return at.every((i, n) => i >= 0 && (n === 0 || i > at[n - 1])) && wanted.every((id) => (rendered[id] || 0) >= ${minRendered});`;

/** The scene layer ids in the style, bottom first, as MapLibre answered them at its last `idle`. */
async function sceneLayerIds(page: Page): Promise<string[]> {
  return ((await page.locator('[data-testid="wall-map"]').getAttribute('data-scene-layers')) ?? '').split(',');
}

/** Waits for the scene's camera grid to show `n` frames, and answers the tiles' areas. */
async function cameraFrames(page: Page, n: number): Promise<(string | null)[]> {
  await page.waitForSelector(`[data-testid="scene-cameras"][data-count="${n}"]`, { timeout: 60_000 });
  await waitUntil(
    page,
    `return document.querySelectorAll('[data-testid="scene-cameras"] [data-testid="camera-tile"][data-frame="shown"] img').length === ${n};`,
    { timeout: 60_000, polling: 250, what: `${n} camera frames` },
  );
  const tiles = page.locator('[data-testid="scene-cameras"] [data-testid="camera-tile"]');
  return Promise.all((await tiles.all()).map((tile) => tile.getAttribute('data-area')));
}

/** Boxes that leave the screen, or the wall's page wider than it. */
async function overflow(page: Page): Promise<{
  scrollWidth: number;
  innerWidth: number;
  camerasRight: number;
  camerasBottom: number;
  legendRight: number;
  mapRight: number;
}> {
  return page.evaluate(`(() => {
    const r = document.querySelector('[data-testid="scene-cameras"]').getBoundingClientRect();
    const legend = document.querySelector('[data-testid="scene-legend"]').getBoundingClientRect();
    const map = document.querySelector('[data-testid="wall-map"]').getBoundingClientRect();
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      camerasRight: r.right,
      camerasBottom: r.bottom,
      legendRight: legend.right,
      mapRight: map.right,
    };
  })()`);
}

describe('the wall draws a scene’s layers and cameras (headless Chromium)', () => {
  let stack: TestStack;
  let browser: Browser;
  let tianhe: Area;

  beforeAll(async () => {
    requireBuiltWebApp();
    stack = await startStack({ workers: 0 });
    const admin = await login(stack.url);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${admin}` };
    const districts = (await (await fetch(`${stack.url}/api/areas?level=district`, { headers })).json()) as Area[];
    const ref = districts.find((d) => d.code === TIANHE);
    if (!ref) throw new Error('the demo city has no Tianhe');
    tianhe = (await (await fetch(`${stack.url}/api/areas/${ref.id}?geometry=true`, { headers })).json()) as Area;

    // Rain and standing water in Tianhe now: the flood scene's heat layers have readings to draw (and are in the catalog).
    const now = Date.now();
    for (const [feed, metric, value] of [
      ['rain-gauges', 'rainfall', 12],
      ['waterlogging', 'depth', 35],
    ] as const) {
      // Each site every minute of the last ten: the heat weighs readings per cell, one alone barely shows.
      const records = pointsIn(tianhe, 6).flatMap((location, i) =>
        Array.from({ length: 10 }, (_, m) => ({
          id: `wall-scenes-${feed}-${i}-${m}-${now}`,
          entity: `wall-scenes-${feed}-${i}`,
          metric,
          value: value + i,
          ts: new Date(now - (m + 0.5) * 60_000).toISOString(),
          location,
        })),
      );
      const res = await fetch(`${stack.url}/api/feeds/${feed}/records`, { method: 'POST', headers, body: JSON.stringify({ records }) });
      expect(res.status).toBeLessThan(300);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('draws the flood scene’s heat layers under the labels, with their legend, and four cameras’ frames across the city (1920×1080, zh and en)', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    await page.goto(`${stack.url}/wall?kiosk=${kioskToken}&lang=zh&scene=${FLOOD}`);
    await page.waitForSelector(`.wall[data-scene="${FLOOD}"][data-scene-kind="theme"]`, { timeout: 60_000 });
    await waitUntil(page, mapReports([RAIN_LAYER, WATER_LAYER], 1), {
      timeout: 90_000,
      polling: 250,
      what: "the flood scene's heat layers drawn",
    });
    // In the scene's order, bottom first: rain under standing water (the wait above checks the order too).
    const ids = await sceneLayerIds(page);
    expect(ids.indexOf(RAIN_LAYER)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(RAIN_LAYER)).toBeLessThan(ids.indexOf(WATER_LAYER));
    // Under the labels: the district names are drawn above the heat.
    expect(await page.locator('[data-testid="wall-map"]').getAttribute('data-scene-layers-under-labels')).toBe('true');
    const legend = page.locator('[data-testid="scene-legend-item"]');
    expect(await legend.evaluateAll((items) => items.map((i) => i.getAttribute('data-layer')))).toEqual([
      'heat-waterlogging~depth',
      'heat-rain-gauges~rainfall',
    ]);
    expect(await page.locator('[data-testid="scene-layers-missing"]').count()).toBe(0);
    // City-wide: one camera of each of four districts (an area code starts with its district's).
    const areas = await cameraFrames(page, 4);
    expect(new Set(areas.map((code) => code?.slice(0, 6))).size).toBe(4);
    expect(await page.locator('[data-testid="scene-cameras"] .panel-subtitle').textContent()).toBe('全市');
    await mapSettled(page, 5);
    await page.screenshot({ path: screenshotPath('wall-scene-flood-1080-zh') });

    await page.goto(`${stack.url}/wall?kiosk=${kioskToken}&lang=en&scene=${FLOOD}`);
    await waitUntil(page, mapReports([RAIN_LAYER, WATER_LAYER], 1), {
      timeout: 90_000,
      polling: 250,
      what: "the flood scene's heat layers drawn",
    });
    await cameraFrames(page, 4);
    expect(await page.locator('[data-testid="scene-cameras"] .panel-title').textContent()).toBe('Cameras');
    expect(await legend.first().textContent()).toContain('Waterlogging');
    const fits = await overflow(page);
    expect(fits.scrollWidth).toBeLessThanOrEqual(fits.innerWidth);
    expect(fits.camerasBottom).toBeLessThanOrEqual(WALL_VIEWPORTS.fullHd.height);
    await mapSettled(page, 5);
    await page.screenshot({ path: screenshotPath('wall-scene-flood-1080-en') });
    await page.close();
  });

  it('frames the district scene on Tianhe, draws its streets and shows four of its cameras', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    await page.goto(`${stack.url}/wall?kiosk=${kioskToken}&lang=zh&scene=${DISTRICT}`);
    await page.waitForSelector(`.wall[data-scene="${DISTRICT}"][data-scene-kind="district"]`, { timeout: 60_000 });
    await waitUntil(page, mapReports([STREETS_LAYER], 1), { timeout: 90_000, polling: 250, what: "the district's streets drawn" });
    const areas = await cameraFrames(page, 4);
    expect(areas.every((code) => code?.startsWith(TIANHE))).toBe(true);
    expect(await page.locator('[data-testid="scene-cameras"] .panel-subtitle').textContent()).toBe('天河区');

    // Framed on the district: its middle in view, and the view no wider than a few times the district.
    const ring = tianhe.geometry?.coordinates[0]?.[0] ?? [];
    const lons = ring.map((p) => p[0]);
    const lats = ring.map((p) => p[1]);
    const middle = [(Math.min(...lons) + Math.max(...lons)) / 2, (Math.min(...lats) + Math.max(...lats)) / 2];
    const widthOf = Math.max(...lons) - Math.min(...lons);
    await waitUntil(
      page,
      `
        const b = (document.querySelector('[data-testid="wall-map"]').getAttribute('data-map-bounds') || '').split(',').map(Number);
        return b.length === 4 && b[0] < ${middle[0]} && ${middle[0]} < b[2] && b[1] < ${middle[1]} && ${middle[1]} < b[3]
          && b[2] - b[0] < ${widthOf * 4};`,
      { timeout: 30_000, polling: 250, what: 'the map framed on Tianhe' },
    );
    await mapSettled(page, 1);
    await page.screenshot({ path: screenshotPath('wall-scene-district-1080-zh') });
    await page.close();
  });

  for (const screen of [
    { width: 5760, height: 1080, lang: 'en' },
    { width: 3840, height: 2160, lang: 'zh' },
  ] as const) {
    it(`fits ${screen.width}×${screen.height} (${screen.lang}): the cameras and the layers' legend inside the screen`, async () => {
      const page = await browser.newPage({ viewport: { width: screen.width, height: screen.height }, deviceScaleFactor: 1 });
      await page.goto(`${stack.url}/wall?kiosk=${kioskToken}&lang=${screen.lang}&scene=${FLOOD}`);
      await waitUntil(page, mapReports([RAIN_LAYER, WATER_LAYER], 1), {
        timeout: 120_000,
        polling: 250,
        what: "the flood scene's heat layers drawn",
      });
      await cameraFrames(page, 4);
      const fits = await overflow(page);
      expect(fits.scrollWidth).toBeLessThanOrEqual(fits.innerWidth);
      expect(fits.camerasRight).toBeLessThanOrEqual(screen.width);
      expect(fits.camerasBottom).toBeLessThanOrEqual(screen.height);
      expect(fits.legendRight).toBeLessThanOrEqual(fits.mapRight);
      await mapSettled(page, 5);
      await page.screenshot({ path: screenshotPath(`wall-scene-flood-${screen.width}-${screen.lang}`) });
      await page.close();
    });
  }
});
