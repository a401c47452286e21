import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { postHeadcounts, segments, type Segment } from '../support/marathon';
import { kioskToken, login, startStack, type TestStack } from '../support/stack';
import { launchBrowser, mapFitsItsFrame, screenshotPath, WALL_VIEWPORTS } from './browser';

describe('wall screen in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let course: Segment[];

  beforeAll(async () => {
    if (!existsSync(join(__dirname, '../../apps/web/dist/index.html'))) {
      throw new Error('apps/web/dist is missing: run `npm run build:web` (npm test does)');
    }
    stack = await startStack({ workers: 1 });
    course = await segments(stack.url, await login(stack.url));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('opens with the kiosk link, draws the course, and shows a surge as a critical alert that cannot be missed', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    const foreignHosts = new Set<string>();
    page.on('request', (req) => {
      const host = new URL(req.url()).host;
      if (!host.startsWith('127.0.0.1')) foreignHosts.add(host);
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    const t0 = Date.now() - 30_000;
    await postHeadcounts(
      stack.url,
      course.map((s) => ({ code: s.code, headcount: Math.round(s.capacity * (0.2 + (s.seq % 5) * 0.1)) })),
      new Date(t0),
    );

    await page.goto(`${stack.url}/wall?kiosk=${kioskToken}`);
    await page.waitForSelector(`[data-testid="wall-map"][data-segments="${course.length}"]`, { timeout: 30_000 });
    // The kiosk token leaves the address bar once exchanged.
    expect(page.url()).not.toContain('kiosk=');
    await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 15_000 });
    expect(await page.locator('[data-testid="segment-row"]').count()).toBe(course.length);
    expect(await page.locator('[data-testid="demo-badge"]').isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('wall-1080-calm') });

    const target = course[6];
    const surge = course.map((s) => ({
      code: s.code,
      headcount: s.code === target.code ? Math.round(s.capacity * 1.18) : Math.round(s.capacity * 0.3),
    }));
    const res = await postHeadcounts(stack.url, surge, new Date(t0 + 10_000));
    expect(res.status).toBe(200);

    const item = page.locator(`[data-testid="alert-item"][data-level="critical"][data-area-code="${target.code}"]`);
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    const banner = page.locator('[data-testid="critical-banner"]');
    await banner.waitFor({ state: 'visible', timeout: 5_000 });
    expect(await banner.textContent()).toContain('118');
    expect(await page.locator(`[data-testid="segment-row"][data-seq="${target.seq}"]`).getAttribute('data-level')).toBe('critical');
    // (How fast the alert reaches the wall is measured by `npm run bench:alert-latency`.)
    await mapFitsItsFrame(page);
    await page.screenshot({ path: screenshotPath('wall-1080-critical') });

    await page.setViewportSize(WALL_VIEWPORTS.uhd);
    await mapFitsItsFrame(page);
    await page.screenshot({ path: screenshotPath('wall-2160-critical') });

    expect([...foreignHosts]).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
    // A 3840×2160 page in software WebGL on a shared machine: its screenshot alone can take a while.
  }, 120_000);

  it('shows the connection banner when the API goes away, reconnects by itself and shows what happened meanwhile', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd });
    await page.goto(`${stack.url}/wall?kiosk=${kioskToken}`);
    await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 30_000 });

    const port = Number(new URL(stack.url).port);
    await stack.api!.close();
    await page.locator('[data-testid="connection-banner"]').waitFor({ state: 'visible', timeout: 15_000 });
    await page.screenshot({ path: screenshotPath('wall-1080-disconnected') });

    // A surge while the wall is cut off: the wall must show it after reconnecting (snapshot refetch).
    const target = course[12];
    const restarted = await createApiApp(stack.config);
    await restarted.listen(port, '127.0.0.1');
    stack.api = restarted;
    await postHeadcounts(stack.url, [{ code: target.code, headcount: Math.round(target.capacity * 1.3) }], new Date());
    await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 30_000 });
    await page.locator('[data-testid="connection-banner"]').waitFor({ state: 'hidden', timeout: 10_000 });
    await page
      .locator(`[data-testid="alert-item"][data-level="critical"][data-area-code="${target.code}"]`)
      .waitFor({ state: 'visible', timeout: 15_000 });
    await page.close();
  });

  it('switches to English with ?lang=en', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd });
    await page.goto(`${stack.url}/wall?kiosk=${kioskToken}&lang=en`);
    await page.waitForSelector(`[data-testid="wall-map"][data-segments="${course.length}"]`, { timeout: 30_000 });
    expect(await page.locator('body').textContent()).toContain('City Operations');
    await page.close();
  });

  it('shows the sign-in form, not the wall, without a token', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd });
    await page.goto(`${stack.url}/wall`);
    await page.waitForSelector('[data-testid="sign-in-form"]', { timeout: 15_000 });
    expect(await page.locator('[data-testid="wall-map"]').count()).toBe(0);
    await page.close();
  });
});
