import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import type { Browser, Page } from 'playwright-core';
import { JobName, QueueName } from '@cityops/core';
import { eventually } from '../support/eventually';
import { createUser, login, startStack, type TestStack, type TestUser } from '../support/stack';
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

const INDICATOR = 'air.aqi';
const HOUR = 3600_000;

interface Area {
  id: number;
  code: string;
  name: string;
  geometry?: { type: 'MultiPolygon'; coordinates: number[][][][] };
}

async function signIn(page: Page, user: TestUser): Promise<void> {
  await signInThroughForm(page, user.username, user.password);
}

/** What the page says the map holds (map state from MapLibre, set on its `idle`). */
async function mapState(page: Page): Promise<{ layers: string[]; rendered: Record<string, number> }> {
  const root = page.locator('[data-testid="analyst-map"]');
  const layers = (await root.getAttribute('data-map-layers')) ?? '';
  const rendered = JSON.parse((await root.getAttribute('data-rendered')) ?? '{}') as Record<string, number>;
  return { layers: layers ? layers.split(',') : [], rendered };
}

const rendered = (layerId: string, atLeast: number) =>
  `
    const root = document.querySelector('[data-testid="analyst-map"]');
    const counts = JSON.parse(root?.getAttribute('data-rendered') || '{}');
    return (counts[${JSON.stringify(layerId)}] || 0) >= ${atLeast};`;

const notInStyle = (layerId: string) =>
  `
    const root = document.querySelector('[data-testid="analyst-map"]');
    return root && !(root.getAttribute('data-map-layers') || '').split(',').includes(${JSON.stringify(layerId)});`;

/** The map's camera as the URL holds it. */
function cameraOf(url: string): { lon: number; lat: number; zoom: number } {
  const params = new URL(url).searchParams;
  const [lon, lat] = (params.get('c') ?? '').split(',').map(Number);
  return { lon, lat, zoom: Number(params.get('z')) };
}

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

/** A point inside a (convex, as the demo city's are) area: the mean of its outer ring. */
function insidePoint(area: Area): number[] {
  const ring = area.geometry?.coordinates[0]?.[0] ?? [];
  const n = ring.length - 1;
  return [ring.slice(0, n).reduce((s, p) => s + p[0], 0) / n, ring.slice(0, n).reduce((s, p) => s + p[1], 0) / n];
}

describe('the analyst’s map (/map) in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let analyst: TestUser;
  let districts: Area[];
  let page: Page;
  let errors: string[];
  /** When the test started, and the district whose alert over the day the replay shows (see beforeAll). */
  let now: number;
  let alertArea: Area;

  beforeAll(async () => {
    requireBuiltWebApp();
    // The worker rolls the stored values up into the 1-minute buckets a day's trend is read from.
    stack = await startStack({ workers: 1 });
    const admin = await login(stack.url);
    const headers = { authorization: `Bearer ${admin}` };
    districts = (await (await fetch(`${stack.url}/api/areas?level=district`, { headers })).json()) as Area[];
    districts = await Promise.all(
      districts.map(async (d) => (await (await fetch(`${stack.url}/api/areas/${d.id}`, { headers })).json()) as Area),
    );
    analyst = await createUser(stack.url, admin, { username: 'map-analyst', roles: ['analyst'] });

    // A day of the air quality index in every district, rising hour by hour (district i starts at 40 + 12 i).
    now = Date.now();
    for (const [i, d] of districts.entries()) {
      for (let h = 0; h < 24; h++) {
        const ts = new Date(now - (23.5 - h) * HOUR);
        await stack.db.query(`INSERT INTO indicator_value (indicator_key, area_id, ts, value) VALUES ($1, $2, $3, $4)`, [
          INDICATOR,
          d.id,
          ts,
          40 + 12 * i + 5 * h,
        ]);
      }
      await stack.db.query(
        `INSERT INTO indicator_latest (indicator_key, area_id, ts, value) VALUES ($1, $2, $3, $4)
         ON CONFLICT (indicator_key, area_id) DO UPDATE SET ts = EXCLUDED.ts, value = EXCLUDED.value`,
        [INDICATOR, d.id, new Date(now - 0.5 * HOUR), 40 + 12 * i + 5 * 23],
      );
    }
    // One district's alert over the day, as its history tells it: warning 20 hours ago, critical
    // from 16 hours ago, warning again from 12 hours ago, resolved 8 hours ago.
    alertArea = districts[1];
    const story: [hoursAgo: number, change: string, level: string, value: number][] = [
      [20, 'fired', 'warning', 160],
      [16, 'escalated', 'critical', 210],
      [12, 'deescalated', 'warning', 170],
      [8, 'resolved', 'warning', 90],
    ];
    const hoursAgo = (h: number) => new Date(now - h * HOUR);
    const stored = await stack.db.query<{ id: string }>(
      `INSERT INTO alert (indicator_key, area_id, level, state, value, threshold, op, value_ts, started_at, fired_at, resolved_at, updated_at)
       VALUES ($1, $2, 'warning', 'resolved', 90, 150, '>=', $4, $3, $3, $4, $4) RETURNING id`,
      [INDICATOR, alertArea.id, hoursAgo(20), hoursAgo(8)],
    );
    await stack.db.query(
      `INSERT INTO alert_event (alert_id, at, change, level, value)
       SELECT $1, e.at, e.change, e.level, e.value FROM unnest($2::timestamptz[], $3::text[], $4::text[], $5::float8[]) AS e(at, change, level, value)`,
      [stored.rows[0].id, story.map(([h]) => hoursAgo(h)), story.map((e) => e[1]), story.map((e) => e[2]), story.map((e) => e[3])],
    );
    // The day's trend and the replay read 1-minute buckets: have the worker roll them up now
    // rather than at its next scheduled minute, and wait for it.
    const maintenance = new Queue(QueueName.maintenance, {
      connection: { url: stack.config.redis.url },
      prefix: `${stack.config.redis.prefix}:bull`,
    });
    await maintenance.add(JobName.rollupIndicators, {});
    await maintenance.close();
    const first = districts[0];
    await eventually(
      async () => {
        const res = await fetch(
          `${stack.url}/api/indicators/${INDICATOR}/values?area=${first.id}&step=1m&from=${new Date(now - 24 * HOUR).toISOString()}`,
          { headers },
        );
        return ((await res.json()) as unknown[]).length >= 24;
      },
      60_000,
      'the rollup of the inserted day into 1-minute buckets',
      2_000,
    );

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1, acceptDownloads: true });
    errors = cspViolations(page);
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${stack.url}/map?lang=zh`);
    await signIn(page, analyst);
    await page.waitForSelector('[data-testid="layer-toggle"][data-layer="areas-district"]', { timeout: 60_000 });
  });
  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await stack?.stop();
  });
  afterEach(() => {
    expect(errors).toEqual([]);
  });

  it('shows a catalog layer when it is toggled on, with its legend and opacity, and removes it when toggled off', async () => {
    const toggle = page.locator('[data-testid="layer-toggle"][data-layer="areas-district"]');
    await toggle.check();
    await waitUntil(page, rendered('catalog:areas-district', 1), { timeout: 30_000, polling: 200 });
    expect((await mapState(page)).layers).toContain('catalog:areas-district');
    const entry = page.locator('[data-testid="visible-layer"][data-layer="areas-district"]');
    await entry.getByRole('slider').fill('60');
    expect(new URL(page.url()).searchParams.get('l')).toBe('areas-district@60');

    await toggle.uncheck();
    await waitUntil(page, notInStyle('catalog:areas-district'), { timeout: 10_000, polling: 100 });
    expect(new URL(page.url()).searchParams.get('l')).toBeNull();
    await toggle.check();
    await waitUntil(page, rendered('catalog:areas-district', 1), { timeout: 30_000, polling: 200 });
  });

  it('colours the districts by an indicator, drills into one with a popup trend and its thresholds, and climbs back by the breadcrumb', async () => {
    await page.locator('[data-testid="indicator-picker"]').selectOption(INDICATOR);
    await page.waitForSelector(`[data-testid="analyst-map"][data-choropleth-areas="${districts.length}"]`, { timeout: 30_000 });
    await page.waitForSelector('[data-testid="choropleth-legend"]');
    await painted(page);
    await page.screenshot({ path: screenshotPath('map-1080-zh') });

    // The district nearest the middle of what the panel leaves of the map.
    const camera = cameraOf(page.url());
    const viewport = WALL_VIEWPORTS.fullHd;
    const target = districts
      .map((d) => ({ d, at: project(camera, insidePoint(d), viewport) }))
      .filter(({ at }) => at.x > 450 && at.x < viewport.width - 40 && at.y > 40 && at.y < viewport.height - 40)
      .sort((a, b) => Math.hypot(a.at.x - 1150, a.at.y - 540) - Math.hypot(b.at.x - 1150, b.at.y - 540))[0];
    expect(target).toBeDefined();
    await page.mouse.click(target.at.x, target.at.y);

    const popup = page.locator('[data-testid="map-popup"][data-kind="area"]');
    await popup.waitFor({ timeout: 10_000 });
    expect(await popup.locator('h3').textContent()).toBe(target.d.name);
    const chart = popup.locator('[data-testid="trend-chart"][data-rendered="true"]');
    await chart.waitFor({ timeout: 20_000 });
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(24);
    expect(await chart.getAttribute('data-threshold-lines')).toBe('3');

    await page.waitForSelector(`[data-testid="breadcrumb-current"][data-area-id="${target.d.id}"]`, { timeout: 15_000 });
    await page.waitForSelector('[data-testid="analyst-map"][data-choropleth-level="street"]');
    await waitUntil(page, rendered('choropleth:fill', 1), { timeout: 30_000, polling: 200 });
    expect(new URL(page.url()).searchParams.get('a')).toBe(String(target.d.id));
    const signs = page.locator(
      `[data-testid="area-vital-signs"][data-area-id="${target.d.id}"] [data-testid="vital-sign"][data-indicator="${INDICATOR}"]`,
    );
    await signs.waitFor({ timeout: 10_000 });
    await painted(page);
    await page.screenshot({ path: screenshotPath('map-1080-zh-drilled-popup') });

    await page.locator('[data-testid="breadcrumb-step"]').first().click();
    await page.waitForSelector('[data-testid="analyst-map"][data-drilled=""][data-choropleth-level="district"]', { timeout: 10_000 });
    expect(new URL(page.url()).searchParams.get('a')).toBeNull();
  });

  it('replays the last day: the time shown moves and the areas’ values change, then goes back to live', async () => {
    await page.locator('[data-testid="indicator-picker"]').selectOption(INDICATOR);
    await page.locator('[data-testid="replay-start"]').click();
    const time = page.locator('[data-testid="replay-time"]');
    await time.waitFor({ timeout: 20_000 });
    // 600×: an hour of the day (one stored value per district) every six seconds.
    await page.locator('[data-testid="replay-speed"]').selectOption('600');
    const root = page.locator('[data-testid="analyst-map"]');
    // The day's first values come half an hour after its start.
    await waitUntil(
      page,
      `
        const root = document.querySelector('[data-testid="analyst-map"]');
        return root.getAttribute('data-replay') === 'on' && Number(root.getAttribute('data-choropleth-areas')) > 0;`,
      { timeout: 30_000, polling: 100 },
    );
    const t0 = Number(await time.getAttribute('data-t'));
    const label0 = await time.textContent();
    const sum0 = await root.getAttribute('data-choropleth-sum');
    await waitUntil(
      page,
      `
        const t = document.querySelector('[data-testid="replay-time"]');
        const root = document.querySelector('[data-testid="analyst-map"]');
        return t && Number(t.getAttribute('data-t')) > ${t0} && t.textContent !== ${JSON.stringify(label0)}
          && Number(root.getAttribute('data-choropleth-areas')) > 0
          && root.getAttribute('data-choropleth-sum') !== ${JSON.stringify(sum0)};`,
      { timeout: 30_000, polling: 100 },
    );
    const t1 = Number(await time.getAttribute('data-t'));
    expect(t1).toBeGreaterThan(t0);
    await painted(page);
    // The clock only moves forward, and what is painted (the screenshot) has values.
    expect(Number(await time.getAttribute('data-t'))).toBeGreaterThanOrEqual(t1);
    expect(Number(await root.getAttribute('data-choropleth-areas'))).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('map-1080-zh-replay') });
    await page.locator('[data-testid="replay-live"]').click();
    await page.waitForSelector('[data-testid="analyst-map"][data-replay="off"]');
  });

  it('replays an area’s alert at the level it had at each instant: warning, then critical, then warning, then none', async () => {
    await page.locator('[data-testid="indicator-picker"]').selectOption(INDICATOR);
    await page.locator('[data-testid="replay-start"]').click();
    const slider = page.locator('input.replay-slider');
    await slider.waitFor({ timeout: 20_000 });
    // Paused: only the slider moves the replay's clock.
    await page.locator('[data-testid="replay-play"]').click();
    await page.waitForSelector('[data-testid="replay-control"][data-state="paused"]');
    const min = Number(await slider.getAttribute('min'));
    /** Moves the slider to `hoursAgo` (on its one-minute steps) and answers the alert levels the map then states. */
    const levelsAt = async (hoursAgo: number, expected: string) => {
      const t = min + Math.round((now - hoursAgo * HOUR - min) / 60_000) * 60_000;
      await slider.fill(String(t));
      await page.waitForSelector(`[data-testid="replay-time"][data-t="${t}"]`, { timeout: 10_000 });
      await page
        .waitForSelector(`[data-testid="analyst-map"][data-replay="on"][data-choropleth-alert-levels="${expected}"]`, { timeout: 10_000 })
        .catch(() => undefined);
      return page.locator('[data-testid="analyst-map"]').getAttribute('data-choropleth-alert-levels');
    };
    const id = alertArea.id;
    expect(await levelsAt(22, '')).toBe('');
    expect(await levelsAt(18, `${id}:warning`)).toBe(`${id}:warning`);
    expect(await levelsAt(14, `${id}:critical`)).toBe(`${id}:critical`);
    expect(await page.locator('[data-testid="replay-alerts"]').textContent()).toContain('1');
    await painted(page);
    await page.screenshot({ path: screenshotPath('map-1080-zh-replay-critical') });
    expect(await levelsAt(10, `${id}:warning`)).toBe(`${id}:warning`);
    expect(await levelsAt(6, '')).toBe('');
    // And back: the level is the instant's, not the last one seen.
    expect(await levelsAt(14, `${id}:critical`)).toBe(`${id}:critical`);
    await page.locator('[data-testid="replay-live"]').click();
    await page.waitForSelector('[data-testid="analyst-map"][data-replay="off"][data-choropleth-alert-levels=""]');
  });

  it('extrudes the areas by the indicator’s value when the map is pitched, and flattens them again', async () => {
    await page.locator('[data-testid="toggle-3d"]').click();
    await page.waitForSelector('[data-testid="analyst-map"][data-pitched="true"]', { timeout: 10_000 });
    await waitUntil(page, rendered('choropleth:extrusion', 1), { timeout: 30_000, polling: 200 });
    expect(Number(new URL(page.url()).searchParams.get('p'))).toBeGreaterThan(0);
    await painted(page);
    await page.screenshot({ path: screenshotPath('map-1080-zh-3d') });
    await page.locator('[data-testid="toggle-3d"]').click();
    await page.waitForSelector('[data-testid="analyst-map"][data-pitched="false"]', { timeout: 10_000 });
    expect((await mapState(page)).rendered['choropleth:extrusion']).toBeUndefined();
  });

  it('keeps the view in the URL: a reload opens the same camera, layers, indicator and opacity', async () => {
    await page.locator('[data-testid="visible-layer"][data-layer="areas-district"]').getByRole('slider').fill('40');
    await page.mouse.move(1200, 500);
    await page.mouse.wheel(0, -300);
    await waitUntil(
      page,
      `return new URL(location.href).searchParams.get('z') !== ${JSON.stringify(cameraOf(page.url()).zoom.toString())};`,
      {
        timeout: 10_000,
      },
    );
    await waitUntil(page, rendered('catalog:areas-district', 1), { timeout: 30_000, polling: 200 });
    const before = new URL(page.url()).searchParams;
    await page.reload();
    await page.waitForSelector(`[data-testid="analyst-map"][data-choropleth-areas="${districts.length}"]`, { timeout: 60_000 });
    await waitUntil(page, rendered('catalog:areas-district', 1), { timeout: 30_000, polling: 200 });
    const after = new URL(page.url()).searchParams;
    for (const key of ['c', 'z', 'l', 'i']) expect([key, after.get(key)]).toEqual([key, before.get(key)]);
    expect(await page.locator('[data-testid="layer-toggle"][data-layer="areas-district"]').isChecked()).toBe(true);
    expect(await page.locator('[data-testid="indicator-picker"]').inputValue()).toBe(INDICATOR);
    expect(await page.locator('[data-testid="visible-layer"][data-layer="areas-district"]').getByRole('slider').inputValue()).toBe('40');
  });

  it('exports what is in view as GeoJSON and CSV, every feature inside the box', async () => {
    await page.locator('[data-testid="layer-toggle"][data-layer="areas-street"]').check();
    const [geojsonDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-geojson"]').click()]);
    const geojson = JSON.parse(readFileSync(await geojsonDownload.path(), 'utf8')) as {
      bbox: [number, number, number, number];
      features: { geometry: { coordinates: number[][][][] }; properties: { layer: string } }[];
    };
    expect(geojson.features.length).toBeGreaterThan(0);
    const [w, s, e, n] = geojson.bbox;
    const camera = cameraOf(page.url());
    expect(camera.lon).toBeGreaterThan(w);
    expect(camera.lon).toBeLessThan(e);
    for (const f of geojson.features) {
      const points = f.geometry.coordinates.flat(2);
      const xs = points.map((p) => p[0]);
      const ys = points.map((p) => p[1]);
      expect(Math.min(...xs) <= e && Math.max(...xs) >= w && Math.min(...ys) <= n && Math.max(...ys) >= s).toBe(true);
    }
    expect(new Set(geojson.features.map((f) => f.properties.layer))).toEqual(new Set(['areas-district', 'areas-street']));
    await page.waitForSelector('[data-testid="export-outcome"]:has-text("已导出")');

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-csv"]').click()]);
    const lines = readFileSync(await csvDownload.path(), 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0].startsWith('layer,collection,id,code,name,level,lon,lat,geometry_type')).toBe(true);
    expect(lines.length - 1).toBe(geojson.features.length);
  });

  it('finds a district by its code and a camera by its id, flies there and opens their popup (the camera with its frame)', async () => {
    const district = districts[districts.length - 1];
    const before = new URL(page.url()).searchParams.get('c');
    await page.locator('[data-testid="map-search"]').fill(district.code);
    await page.locator('[data-testid="search-hit"][data-kind="area"]').first().click();
    const popup = page.locator('[data-testid="map-popup"][data-kind="area"]');
    await popup.waitFor({ timeout: 10_000 });
    expect(await popup.locator('h3').textContent()).toBe(district.name);
    await waitUntil(page, `return new URL(location.href).searchParams.get('c') !== ${JSON.stringify(before)};`, {
      timeout: 10_000,
    });

    const admin = await login(stack.url);
    const res = await fetch(`${stack.url}/api/cameras?area=${district.code}&limit=1`, { headers: { authorization: `Bearer ${admin}` } });
    const [camera] = (await res.json()) as { id: string; name: string }[];
    await page.locator('[data-testid="map-search"]').fill(camera.id);
    await page.locator('[data-testid="search-hit"][data-kind="entity"]').first().click();
    const cameraPopup = page.locator('[data-testid="map-popup"][data-kind="entity"]');
    await cameraPopup.waitFor({ timeout: 10_000 });
    expect(await cameraPopup.locator('h3').textContent()).toBe(camera.name);
    await waitUntil(
      page,
      `
        const img = document.querySelector('[data-testid="map-popup-snapshot"] img');
        return Boolean(img) && img.complete && img.naturalWidth > 0;`,
      { timeout: 20_000, polling: 200 },
    );
    await painted(page);
    await page.screenshot({ path: screenshotPath('map-1080-zh-search-camera') });
    await cameraPopup
      .locator('xpath=ancestor::div[contains(@class, "maplibregl-popup")]')
      .locator('.maplibregl-popup-close-button')
      .click();
    await cameraPopup.waitFor({ state: 'detached', timeout: 5_000 });
  });

  it('reads in English', async () => {
    // The same layers and indicator, in English, over the whole city (no camera: the map fits the city).
    const english = new URL(page.url());
    for (const key of ['c', 'z', 'p', 'b']) english.searchParams.delete(key);
    english.searchParams.set('lang', 'en');
    await page.goto(english.toString());
    await page.waitForSelector(`[data-testid="analyst-map"][data-choropleth-areas="${districts.length}"]`, { timeout: 60_000 });
    // The districts drawn; the streets' layer is in the style but starts at zoom 9, closer than the whole city.
    await waitUntil(page, rendered('catalog:areas-district', 1), { timeout: 30_000, polling: 200 });
    expect((await mapState(page)).layers).toContain('catalog:areas-street');
    expect(await page.locator('[data-testid="map-panel"]').textContent()).toContain('Export what is in view');
    await painted(page);
    await page.screenshot({ path: screenshotPath('map-1080-en') });
  });

  it('recolours a district live when a station reports (the worker computes, the socket delivers, no reload)', async () => {
    const root = page.locator('[data-testid="analyst-map"]');
    const before = await root.getAttribute('data-choropleth-sum');
    const district = districts[0];
    // An admin may push to any feed (the demo's simulator key pushes to the marathon's only).
    const admin = await login(stack.url);
    const res = await fetch(`${stack.url}/api/feeds/air-quality/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({
        records: [
          {
            id: `map-live-${Date.now()}`,
            entity: 'map-test-station',
            metric: 'aqi',
            value: 20,
            ts: new Date().toISOString(),
            location: insidePoint(district),
          },
        ],
      }),
    });
    expect(res.status).toBeLessThan(300);
    // The page polls the other indicators once a minute; this one must come sooner, over the socket.
    await waitUntil(
      page,
      `return document.querySelector('[data-testid="analyst-map"]').getAttribute('data-choropleth-sum') !== ${JSON.stringify(before)};`,
      { timeout: 40_000, polling: 200 },
    );
  });

  it('outlines the areas whose alert on the chosen indicator stands now', async () => {
    const district = districts[2];
    await stack.db.query(
      `INSERT INTO alert (indicator_key, area_id, level, state, value, threshold, value_ts, fired_at)
       VALUES ($1, $2, 'critical', 'firing', 260, 200, now(), now())`,
      [INDICATOR, district.id],
    );
    // Standing alerts come as a snapshot when the page connects, then as socket deltas (as on the wall).
    await page.reload();
    await waitUntil(
      page,
      `return (document.querySelector('[data-testid="analyst-map"]')?.getAttribute('data-choropleth-alerts') || '').split(',').includes('${district.id}');`,
      { timeout: 30_000, what: 'the standing alert among the outlined areas' },
    );
    await waitUntil(page, rendered('choropleth:alert', 1), { timeout: 30_000, polling: 200 });
    // Drawn above every other layer of ours, boundary outlines included.
    const { layers } = await mapState(page);
    expect(layers.some((id) => id.startsWith('catalog:'))).toBe(true);
    expect(layers.at(-1)).toBe('choropleth:alert');
    await painted(page);
    await page.screenshot({ path: screenshotPath('map-1080-alert-outline') });
  });
});
