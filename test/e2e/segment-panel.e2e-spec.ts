import type { Browser, Page } from 'playwright-core';
import { postHeadcounts, segments, type Segment } from '../support/marathon';
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

jest.setTimeout(180_000);

async function signIn(page: Page, user: TestUser): Promise<void> {
  await signInThroughForm(page, user.username, user.password);
}

/** Every frame of the open panel has been decoded (an SVG of a real size), not just requested. */
const FRAMES_SHOWN = `
  const images = [...document.querySelectorAll('[data-testid="segment-detail"] [data-testid="camera-tile"] img')];
  const tiles = document.querySelectorAll('[data-testid="segment-detail"] [data-testid="camera-tile"]');
  return tiles.length > 0 && images.length === tiles.length && images.every((img) => img.complete && img.naturalWidth > 0);`;

describe('a course segment’s panel on the wall, in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let analyst: TestUser;
  let course: Segment[];

  beforeAll(async () => {
    requireBuiltWebApp();
    // A worker turns headcounts into loads and the surge into an alert.
    stack = await startStack({ workers: 1 });
    // This suite looks at one scene: no rotation (the demo's default playlist) moves the wall on.
    await stack.db.query('DELETE FROM wall_playlist');
    const admin = await login(stack.url);
    course = await segments(stack.url, admin);
    analyst = await createUser(stack.url, admin, { username: 'panel-analyst', roles: ['analyst'] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('opens from the segment list and from an alert, shows the segment’s cameras with their frames, and closes back to the wall', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    const errors = cspViolations(page);
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await postHeadcounts(
        stack.url,
        course.map((s) => ({ code: s.code, headcount: Math.round(s.capacity * 0.5) })),
        new Date(Date.now() - 60_000),
      );
      await page.goto(`${stack.url}/wall?lang=zh`);
      await signIn(page, analyst);
      await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 60_000 });
      await page.waitForSelector(`[data-testid="wall-map"][data-segments="${course.length}"]`, { timeout: 60_000 });

      // From the list.
      const listed = course[2];
      await page.locator(`[data-testid="segment-row"][data-area-code="${listed.code}"] [data-testid="segment-open"]`).click();
      const panel = page.locator(`[data-testid="segment-detail"][data-area-code="${listed.code}"]`);
      await panel.waitFor({ timeout: 10_000 });
      // Every segment has at least three cameras: wait for them, then for their frames.
      await panel.locator('[data-testid="camera-tile"]').nth(2).waitFor({ timeout: 20_000 });
      await waitUntil(page, FRAMES_SHOWN, { timeout: 20_000, polling: 200 });
      const tiles = panel.locator('[data-testid="camera-tile"]');
      const n = await tiles.count();
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(6);
      expect(await tiles.first().locator('.camera-name').textContent()).toMatch(/^马拉松第3段 \d号/);
      expect(await panel.textContent()).toContain('阈值：预警 ≥ 80%，严重 ≥ 100%');
      expect(await panel.textContent()).toContain('近1小时负荷');
      await painted(page);
      await page.screenshot({ path: screenshotPath('wall-1080-segment-panel') });
      await panel.getByRole('button', { name: '关闭并返回大屏' }).click();
      await panel.waitFor({ state: 'detached', timeout: 5_000 });
      expect(await page.locator('[data-testid="wall-map"]').isVisible()).toBe(true);

      // From its alert: a surge makes one, its area name opens the panel; Escape closes it.
      const surging = course[7];
      await postHeadcounts(stack.url, [{ code: surging.code, headcount: Math.round(surging.capacity * 1.25) }], new Date());
      const item = page.locator(`[data-testid="alert-item"][data-level="critical"][data-area-code="${surging.code}"]`);
      await item.waitFor({ timeout: 30_000 });
      await item.locator('[data-testid="alert-area-open"]').click();
      const alertPanel = page.locator(`[data-testid="segment-detail"][data-area-code="${surging.code}"]`);
      await alertPanel.waitFor({ timeout: 10_000 });
      await alertPanel.locator('[data-testid="segment-detail-alert"]').first().waitFor({ timeout: 10_000 });
      await waitUntil(page, FRAMES_SHOWN, { timeout: 20_000, polling: 200 });
      await painted(page);
      await page.screenshot({ path: screenshotPath('wall-1080-segment-panel-alert') });
      await page.keyboard.press('Escape');
      await alertPanel.waitFor({ state: 'detached', timeout: 5_000 });

      // In English.
      await page.goto(`${stack.url}/wall?lang=en`);
      await page.waitForSelector(`[data-testid="wall-map"][data-segments="${course.length}"]`, { timeout: 60_000 });
      await page.locator(`[data-testid="segment-row"][data-area-code="${listed.code}"] [data-testid="segment-open"]`).click();
      const english = page.locator(`[data-testid="segment-detail"][data-area-code="${listed.code}"]`);
      await english.waitFor({ timeout: 10_000 });
      await waitUntil(page, FRAMES_SHOWN, { timeout: 20_000, polling: 200 });
      expect(await english.textContent()).toContain('Cameras nearby');
      expect(await english.locator('.camera-name').first().textContent()).toMatch(/^Marathon segment 3 /);
      await painted(page);
      await page.screenshot({ path: screenshotPath('wall-1080-segment-panel-en') });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
