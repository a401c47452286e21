import type { Browser } from 'playwright-core';
import { eventually } from '../support/eventually';
import { postHeadcounts, segments, type Segment } from '../support/marathon';
import { kioskToken, login, startStack, type TestStack } from '../support/stack';
import { launchBrowser, screenshotPath, WALL_VIEWPORTS, requireBuiltWebApp } from './browser';

jest.setTimeout(120_000);

/**
 * A wall runs for weeks with nobody at it: its display session renews itself with its refresh
 * cookie (rotated each time) long before the access token runs out, without exchanging the display
 * token again and without ever showing a sign-in form; and when its session is ended on the
 * server, it signs in again by itself with its display token.
 */
describe('a display device’s session in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let course: Segment[];

  beforeAll(async () => {
    requireBuiltWebApp();
    // One-minute access tokens: the page renews about every five seconds (it renews five minutes
    // before expiry, at most that often), so many renewals pass in a few seconds.
    // A worker computes the runners on course, pushed live over the socket the renewals must keep.
    stack = await startStack({ workers: 1, env: { JWT_TTL_SECONDS: '60', SESSION_CHECK_SECONDS: '1' } });
    course = await segments(stack.url, await login(stack.url));
    // This suite looks at one scene: no rotation (the demo's default playlist) moves the wall on.
    await stack.db.query('DELETE FROM wall_playlist');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('renews itself with its rotating refresh cookie, and signs in again by itself when its session is ended', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    const answers: { path: string; status: number }[] = [];
    page.on('response', (res) => {
      const path = new URL(res.url()).pathname;
      if (path.startsWith('/api/auth/')) answers.push({ path, status: res.status() });
    });
    await page.goto(`${stack.url}/wall?kiosk=${kioskToken}`);
    await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 30_000 });

    const refreshes = () => answers.filter((a) => a.path === '/api/auth/refresh' && a.status === 200).length;
    await eventually(() => refreshes() >= 3, 60_000, 'three renewals');
    expect(answers.filter((a) => a.path === '/api/auth/kiosk')).toEqual([{ path: '/api/auth/kiosk', status: 200 }]);
    expect(answers.filter((a) => a.status >= 400)).toEqual([]);
    // One session all along, rotated at every renewal.
    const sessions = await stack.db.query<{ refresh_generation: number; principal_kind: string }>(
      `SELECT refresh_generation, principal_kind FROM auth_session WHERE revoked_at IS NULL AND principal_kind = 'display'`,
    );
    expect(sessions.rows).toHaveLength(1);
    expect(sessions.rows[0]).toMatchObject({ principal_kind: 'display' });
    expect(sessions.rows[0].refresh_generation).toBeGreaterThanOrEqual(3);

    // Live updates still arrive after the renewals, on the connection the first token opened.
    const total = page.locator('[data-testid="kpi-total-value"]');
    const runners = course.map((c, i) => ({ code: c.code, headcount: 1000 + i }));
    const expected = runners.reduce((n, r) => n + r.headcount, 0).toLocaleString('zh-CN');
    expect(await total.textContent()).not.toBe(expected);
    expect((await postHeadcounts(stack.url, runners)).status).toBe(200);
    await page.locator('[data-testid="kpi-total-value"]', { hasText: expected }).waitFor({ timeout: 30_000 });
    expect(answers.filter((a) => a.path === '/api/auth/kiosk')).toHaveLength(1);

    // Ended on the server (say, by an operator signing it out): the wall opens a new session with its token.
    await stack.db.query(`UPDATE auth_session SET revoked_at = now(), revoked_reason = 'test' WHERE revoked_at IS NULL`);
    await eventually(
      () => answers.filter((a) => a.path === '/api/auth/kiosk').length === 2,
      60_000,
      'a new sign-in with the display token',
    );
    await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 30_000 });
    expect(await page.locator('[data-testid="sign-in-form"]').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('wall-display-renewed') });
    await page.close();
  });
});
