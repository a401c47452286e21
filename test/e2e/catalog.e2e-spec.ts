import type { Browser, Page } from 'playwright-core';
import { STANDARD_DEPARTMENTS } from '@cityops/feeds';
import { createUser, feedToken, kioskToken, login, startStack, type TestStack } from '../support/stack';
import { TEST_SECRETS } from '../support/test-env';
import {
  cspViolations,
  launchBrowser,
  mapFitsItsFrame,
  waitUntil,
  painted,
  screenshotPath,
  WALL_VIEWPORTS,
  signInThroughForm,
  requireBuiltWebApp,
} from './browser';

const CATALOG_VIEWPORT = { width: 1600, height: 1000 };
const MARATHON = 'marathon-crowd';

/**
 * A second feed, defined by the test through the API, whose only record is ten minutes old: with a
 * one-minute cadence the health job calls it stale (late by more than three intervals).
 */
const STALE_FEED = {
  key: 'e2e-air-quality',
  name: '测试空气质量监测',
  nameEn: 'Test air quality',
  description: 'Defined by the catalog browser test.',
  departmentCode: 'ecology-environment',
  theme: 'environment',
  kind: 'observation',
  metrics: [{ key: 'pm25', name: 'PM2.5', unit: 'µg/m³', min: 0, max: 1000 }],
  expectedIntervalSeconds: 60,
  retentionDays: 30,
  ownerContact: 'e2e test',
};

/** An entity feed (latest state per object), to see the entities table. */
const ENTITY_FEED = {
  key: 'e2e-shelters',
  name: '测试应急避难场所',
  nameEn: 'Test emergency shelters',
  departmentCode: 'emergency',
  theme: 'safety',
  kind: 'entity',
};

async function api(
  stack: TestStack,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text, it ends up in the failure message.
  }
  return { status: res.status, body: parsed };
}

/** Script errors and Content-Security-Policy violations (the API's policy is on): a page must have none. */
function watchErrors(page: Page): string[] {
  const errors = cspViolations(page);
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

describe('data catalog and feed health in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let adminToken: string;

  beforeAll(async () => {
    requireBuiltWebApp();
    stack = await startStack({ workers: 1 });
    // This suite looks at one scene: no rotation (the demo's default playlist) moves the wall on.
    await stack.db.query('DELETE FROM wall_playlist');
    adminToken = await login(stack.url);
    const created = await api(stack, adminToken, 'POST', '/api/feeds', STALE_FEED);
    expect([created.status, created.body]).toEqual([201, expect.objectContaining({ key: STALE_FEED.key })]);
    const old = new Date(Date.now() - 10 * 60_000).toISOString();
    const pushed = await api(stack, adminToken, 'POST', `/api/feeds/${STALE_FEED.key}/records`, {
      records: [{ id: 'e2e-air-1', entity: 'station-1', metric: 'pm25', value: 35, ts: old }],
    });
    expect([pushed.status, pushed.body]).toEqual([200, expect.objectContaining({ accepted: 1, rejected: 0 })]);

    const entityFeed = await api(stack, adminToken, 'POST', '/api/feeds', ENTITY_FEED);
    expect(entityFeed.status).toBe(201);
    const shelter = await api(stack, adminToken, 'PUT', `/api/feeds/${ENTITY_FEED.key}/entities`, {
      entities: [{ id: 'shelter-1', ts: new Date().toISOString(), location: [113.3245, 23.1065], props: { capacity: 500 } }],
    });
    expect([shelter.status, shelter.body]).toEqual([200, expect.objectContaining({ accepted: 1 })]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows a quiet feed-health note on the wall for the stale feed only', async () => {
    const health = await api(stack, adminToken, 'GET', '/api/feeds/health');
    expect(health.status).toBe(200);
    const byKey = new Map((health.body as { feedKey: string; status: string }[]).map((h) => [h.feedKey, h.status]));
    expect(byKey.get(STALE_FEED.key)).toBe('stale');
    // No records yet: silent, which is not worth a note.
    expect(byKey.get(MARATHON)).toBe('silent');

    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    const errors = watchErrors(page);
    await page.goto(`${stack.url}/wall?kiosk=${kioskToken}`);
    const note = page.locator('[data-testid="feed-health-warning"]');
    await note.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await note.getAttribute('data-count')).toBe('1');
    const text = (await note.textContent()) ?? '';
    expect(text).toContain('数据源异常 1');
    expect(text).toContain(STALE_FEED.name);
    // Quiet: in the header, not over the map.
    expect(await page.locator('.wall-header [data-testid="feed-health-warning"]').count()).toBe(1);
    await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 15_000 });
    // The course drawn on the map, for the screenshot.
    await page.waitForSelector('[data-testid="wall-map"][data-segments="21"]', { timeout: 30_000 });
    await mapFitsItsFrame(page);
    await page.screenshot({ path: screenshotPath('wall-feed-health') });

    expect(errors).toEqual([]);
    await page.close();
  });

  it('signs an admin in, lists departments and feeds, and shows a pushed batch as sample and rejected records', async () => {
    const page = await browser.newPage({ viewport: CATALOG_VIEWPORT, deviceScaleFactor: 1 });
    const errors = watchErrors(page);

    await page.goto(`${stack.url}/catalog`);
    await signInThroughForm(page, 'admin', TEST_SECRETS.ADMIN_PASSWORD);

    await page.waitForSelector('[data-testid="catalog-department"][data-code="public-security"]', { timeout: 15_000 });
    // The standard departments, and the demo city's own district bureau.
    expect(await page.locator('[data-testid="catalog-department"]').count()).toBe(STANDARD_DEPARTMENTS.length + 1);
    expect(await page.locator('[data-testid="catalog-department"][data-code="public-security"]').textContent()).toContain('公安');
    const row = page.locator(`[data-testid="catalog-feed-row"][data-key="${MARATHON}"]`);
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await page.waitForSelector(`[data-testid="catalog-feed-row"][data-key="${STALE_FEED.key}"][data-status="stale"]`, { timeout: 10_000 });

    // One good and one bad record, as the outside counting system would send them.
    const now = Date.now();
    const goodId = `catalog-e2e-good-${now}`;
    const badId = `catalog-e2e-bad-${now}`;
    const res = await fetch(`${stack.url}/api/feeds/${MARATHON}/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${feedToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        records: [
          { id: goodId, metric: 'headcount', value: 1234, ts: new Date(now).toISOString(), area: 'GZM-01' },
          { id: badId, metric: 'headcount', value: -5, ts: new Date(now).toISOString(), area: 'GZM-01' },
        ],
      }),
    });
    const result = (await res.json()) as { accepted: number; rejected: number; errors: { index: number; reason: string }[] };
    expect([res.status, result.accepted, result.rejected]).toEqual([200, 1, 1]);
    const reason = result.errors[0].reason;

    // Filtering by department narrows the list; clicking it again lifts the filter.
    const allFeeds = await page.locator('[data-testid="catalog-feed-row"]').count();
    const publicSecurity = page.locator('[data-testid="catalog-department"][data-code="public-security"]');
    await publicSecurity.click();
    // The department's feeds: the marathon's crowd counters and the video surveillance cameras.
    expect(await page.locator('[data-testid="catalog-feed-row"]').count()).toBe(2);
    expect(page.url()).toContain('department=public-security');
    await publicSecurity.click();
    expect(await page.locator('[data-testid="catalog-feed-row"]').count()).toBe(allFeeds);
    expect(allFeeds).toBeGreaterThan(1);

    await row.locator('button').click();
    const detail = page.locator(`[data-testid="catalog-feed-detail"][data-key="${MARATHON}"]`);
    await detail.waitFor({ state: 'visible', timeout: 10_000 });
    expect(page.url()).toContain(`feed=${MARATHON}`);
    // Opening the feed takes a fresh health snapshot: the batch just sent makes it ok.
    await page.waitForSelector(`[data-testid="catalog-feed-row"][data-key="${MARATHON}"][data-status="ok"]`, { timeout: 10_000 });
    expect(await page.locator('[data-testid="catalog-health"]').textContent()).toContain('50%');

    const sampleRow = page.locator(`[data-testid="catalog-sample-row"][data-id="${goodId}"]`);
    await sampleRow.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await sampleRow.textContent()).toContain('1,234');
    expect(await sampleRow.textContent()).toContain('GZM-01');

    const rejectedRow = page.locator('[data-testid="catalog-rejected-row"]').filter({ hasText: reason });
    await rejectedRow.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await rejectedRow.count()).toBe(1);
    expect(await rejectedRow.getAttribute('data-replayed')).toBe('false');
    // The raw record is there, collapsed.
    expect(await rejectedRow.locator('details').getAttribute('open')).toBeNull();
    expect(await rejectedRow.locator('summary').textContent()).toContain(badId);

    expect(await detail.textContent()).toContain('在段人数');
    expect(await detail.textContent()).toContain('赛事指挥部');

    // Screenshot with the detail scrolled so the sample and the rejected record are both in view.
    await page.locator('[data-testid="catalog-sample"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await painted(page);
    await page.screenshot({ path: screenshotPath('catalog') });

    // Replaying without fixing the definition: the record is still rejected, and says so.
    const replay = page.locator('[data-testid="catalog-replay"]');
    await replay.click();
    const replayResult = page.locator('[data-testid="catalog-replay-result"]');
    await replayResult.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await replayResult.textContent()).toContain('仍被拒 1');
    await page.locator('[data-testid="catalog-rejected-row"] summary').first().click();
    await page.locator('[data-testid="catalog-rejected"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await painted(page);
    await page.screenshot({ path: screenshotPath('catalog-replayed') });

    expect(errors).toEqual([]);
    await page.close();
  });

  it('tells a read-only viewer politely that rejected records are not for them, in English', async () => {
    const page = await browser.newPage({ viewport: CATALOG_VIEWPORT, deviceScaleFactor: 1 });
    const errors = watchErrors(page);
    const viewer = await createUser(stack.url, await login(stack.url), { username: 'e2e-viewer', roles: ['viewer'] });
    await page.goto(`${stack.url}/catalog?lang=en&feed=${STALE_FEED.key}`);
    await signInThroughForm(page, viewer.username, viewer.password);
    const detail = page.locator(`[data-testid="catalog-feed-detail"][data-key="${STALE_FEED.key}"]`);
    await detail.waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForSelector('[data-testid="catalog-rejected-forbidden"]', { timeout: 10_000 });
    expect(await page.locator('[data-testid="catalog-rejected-forbidden"]').textContent()).toContain('Only administrators and analysts');
    expect(await page.locator('[data-testid="catalog-replay"]').count()).toBe(0);
    expect(await page.locator('body').textContent()).toContain('Data catalog');
    await page.waitForSelector('[data-testid="catalog-sample-row"][data-id="e2e-air-1"]', { timeout: 10_000 });
    await page.waitForSelector(`[data-testid="catalog-feed-row"][data-key="${STALE_FEED.key}"][data-status="stale"]`, { timeout: 10_000 });
    await page.screenshot({ path: screenshotPath('catalog-en-viewer') });

    // An entity feed shows its objects' latest state.
    await page.locator(`[data-testid="catalog-feed-row"][data-key="${ENTITY_FEED.key}"] button`).click();
    const entity = page.locator('[data-testid="catalog-entity-row"][data-id="shelter-1"]');
    await entity.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await entity.textContent()).toContain('Point 113.32450, 23.10650');
    expect(await entity.textContent()).toContain('"capacity":500');
    await page.screenshot({ path: screenshotPath('catalog-en-entities') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('takes a feed off the wall note with the next live health push once it catches up', async () => {
    // A stale feed of its own, so that the feed the other tests look at stays stale.
    const lagging = { ...STALE_FEED, key: 'e2e-water-level', name: '测试水位监测', nameEn: 'Test water level' };
    lagging.metrics = [{ key: 'level_m', name: 'Water level', unit: 'm', min: 0, max: 100 }];
    expect((await api(stack, adminToken, 'POST', '/api/feeds', lagging)).status).toBe(201);
    const old = await api(stack, adminToken, 'POST', `/api/feeds/${lagging.key}/records`, {
      records: [
        { id: 'e2e-water-1', entity: 'gauge-1', metric: 'level_m', value: 2.5, ts: new Date(Date.now() - 10 * 60_000).toISOString() },
      ],
    });
    expect([old.status, old.body]).toEqual([200, expect.objectContaining({ accepted: 1 })]);

    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    const errors = watchErrors(page);
    await page.goto(`${stack.url}/wall?kiosk=${kioskToken}`);
    const note = page.locator('[data-testid="feed-health-warning"]');
    await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 15_000 });
    // The note's tooltip names every feed it counts.
    await page.waitForSelector(`[data-testid="feed-health-warning"][title*="${lagging.name}"]`, { timeout: 20_000 });

    const fresh = await api(stack, adminToken, 'POST', `/api/feeds/${lagging.key}/records`, {
      records: [{ id: 'e2e-water-2', entity: 'gauge-1', metric: 'level_m', value: 2.6, ts: new Date().toISOString() }],
    });
    expect([fresh.status, fresh.body]).toEqual([200, expect.objectContaining({ accepted: 1 })]);
    // No reload: the `feed.health` event (every 15 s from the worker) carries the change.
    await waitUntil(
      page,
      `return !(document.querySelector('[data-testid="feed-health-warning"]')?.getAttribute('title') ?? '').includes(${JSON.stringify(lagging.name)});`,
      { timeout: 25_000 },
    );
    // The other stale feed is still named.
    expect(await note.getAttribute('title')).toContain(STALE_FEED.name);
    expect(errors).toEqual([]);
    await page.close();
  });
});
