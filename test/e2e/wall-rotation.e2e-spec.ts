import type { Browser, Page } from 'playwright-core';
import { postHeadcounts, segments, type Segment } from '../support/marathon';
import { kioskToken, login, startStack, type TestStack } from '../support/stack';
import { launchBrowser, waitUntil, screenshotPath, WALL_VIEWPORTS, requireBuiltWebApp } from './browser';

/** A deadline, not a speed: WebGL runs on the CPU here, on a machine shared with other runs. */
jest.setTimeout(240_000);

/** The scene on the wall and what its rotation line says. */
async function wallScene(page: Page): Promise<{ scene: string | null; mode: string | null }> {
  return {
    scene: await page.locator('.wall').getAttribute('data-scene'),
    mode: await page.locator('[data-testid="rotation-bar"]').getAttribute('data-mode'),
  };
}

async function waitForScene(page: Page, scene: string, mode: 'rotation' | 'alert', timeout: number): Promise<void> {
  await page.waitForSelector(`.wall[data-scene="${scene}"] [data-testid="rotation-bar"][data-mode="${mode}"]`, { timeout });
}

describe('the wall that runs itself: a rotation of scenes, interrupted by a critical alert (headless Chromium)', () => {
  let stack: TestStack;
  let browser: Browser;
  let course: Segment[];
  let admin: string;

  beforeAll(async () => {
    requireBuiltWebApp();
    stack = await startStack({ workers: 1 });
    admin = await login(stack.url);
    course = await segments(stack.url, admin);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows one scene then the other on schedule, goes to the alert’s scene on a critical breach, and comes back when it resolves', async () => {
    // Two scenes of the demo, a few seconds each; the marathon is not in the rotation, so only its alert brings it.
    const playlist = await fetch(`${stack.url}/api/playlists/default`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({
        name: 'e2e',
        entries: [
          { scene: 'gz-overview', dwellSeconds: 8 },
          { scene: 'gz-tianhe', dwellSeconds: 8 },
        ],
      }),
    });
    expect(playlist.status).toBe(200);
    const calm = course.map((s) => ({ code: s.code, headcount: Math.round(s.capacity * 0.3) }));
    const t0 = Date.now() - 20_000;
    expect((await postHeadcounts(stack.url, calm, new Date(t0))).status).toBe(200);

    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    await page.goto(`${stack.url}/wall?kiosk=${kioskToken}&lang=zh`);
    await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 60_000 });
    // Each check is one selector, so it holds of one moment: on a slow machine the overview's dwell can end between two reads.
    await page.waitForSelector(
      '.wall[data-scene="gz-overview"] [data-testid="rotation-bar"][data-mode="rotation"][data-next="gz-tianhe"]',
      {
        timeout: 30_000,
      },
    );
    await page.waitForSelector('.wall[data-scene="gz-overview"] [data-testid="wall-event"][title="城市运行总览"]', {
      state: 'attached',
      timeout: 30_000,
    });
    await page.screenshot({ path: screenshotPath('wall-rotation-overview') });
    await page.waitForSelector(
      '.wall[data-scene="gz-tianhe"][data-scene-kind="district"] [data-testid="rotation-bar"][data-mode="rotation"]',
      {
        timeout: 20_000,
      },
    );
    await page.screenshot({ path: screenshotPath('wall-rotation-district') });
    await waitForScene(page, 'gz-overview', 'rotation', 20_000);

    // A segment past its capacity: a critical alert of the marathon's indicator takes the wall to the marathon.
    const hot = course[4];
    const surge = course.map((s) => ({
      code: s.code,
      headcount: s.code === hot.code ? Math.round(s.capacity * 1.2) : Math.round(s.capacity * 0.3),
    }));
    expect((await postHeadcounts(stack.url, surge, new Date(t0 + 10_000))).status).toBe(200);
    await waitForScene(page, 'gz-marathon', 'alert', 30_000);
    await page.locator(`[data-testid="alert-item"][data-level="critical"][data-area-code="${hot.code}"]`).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="critical-banner"]').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: screenshotPath('wall-rotation-interrupted') });
    // It holds the wall past both dwell times while the alert stands.
    const heldSince = Date.now();
    await waitUntil(
      page,
      `return Date.now() - ${heldSince} > 17000 || document.querySelector('.wall')?.getAttribute('data-scene') !== 'gz-marathon';`,
      { timeout: 30_000, polling: 500 },
    );
    expect(await wallScene(page)).toEqual({ scene: 'gz-marathon', mode: 'alert' });

    // Resolved by calm readings: the rotation takes the wall back.
    expect((await postHeadcounts(stack.url, calm, new Date(t0 + 15_000))).status).toBe(200);
    await page.waitForSelector('.wall:not([data-scene="gz-marathon"]) [data-testid="rotation-bar"][data-mode="rotation"]', {
      timeout: 30_000,
    });
    expect(['gz-overview', 'gz-tianhe']).toContain((await wallScene(page)).scene);
    await page.close();
  });
});
