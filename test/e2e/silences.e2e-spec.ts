import type { Browser, Page } from 'playwright-core';
import type { SilenceView } from '@cityops/contracts';
import { postHeadcounts, segments, type Segment } from '../support/marathon';
import { createUser, login, startStack, type TestStack, type TestUser } from '../support/stack';
import { cspViolations, launchBrowser, painted, screenshotPath, WALL_VIEWPORTS, signInThroughForm, requireBuiltWebApp } from './browser';

jest.setTimeout(180_000);

const INDICATOR = 'marathon.segment_load';
/** Tianhe district of the demo city. */
const TIANHE = '440106';
const PHONE = { width: 375, height: 812 };

function watchErrors(page: Page): string[] {
  const errors = cspViolations(page);
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function shoot(page: Page, name: string): Promise<void> {
  await painted(page);
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
}

async function signIn(page: Page, user: TestUser): Promise<void> {
  await signInThroughForm(page, user.username, user.password);
}

/** The elements that reach past the window's right edge (none: nothing to scroll sideways); the page runs it as text. */
const PAST_THE_EDGE = `(() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .map((el) => el.tagName.toLowerCase() + '.' + el.className + ' → ' + Math.round(el.getBoundingClientRect().right) + '/' + width);
})()`;

function pastTheEdge(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(PAST_THE_EDGE);
}

describe('alert silences in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let operator: TestUser;
  let adminToken: string;
  let course: Segment[];

  const silences = async (): Promise<SilenceView[]> =>
    (await (await fetch(`${stack.url}/api/silences`, { headers: { authorization: `Bearer ${adminToken}` } })).json()) as SilenceView[];

  beforeAll(async () => {
    requireBuiltWebApp();
    // A worker turns the wall test's headcounts into an alert.
    stack = await startStack({ workers: 1 });
    // This suite looks at one scene: no rotation (the demo's default playlist) moves the wall on.
    await stack.db.query('DELETE FROM wall_playlist');
    adminToken = await login(stack.url);
    course = await segments(stack.url, adminToken);
    operator = await createUser(stack.url, adminToken, { username: 'duty-operator', roles: ['operator'] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('lets an operator silence an indicator in a district for an hour, see it listed in effect, and end it early', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    const errors = watchErrors(page);
    try {
      await page.goto(`${stack.url}/silences?lang=zh`);
      await signIn(page, operator);
      await page.waitForSelector('[data-testid="silences"]', { timeout: 15_000 });

      await page.click('[data-testid="silence-create"]');
      const form = page.locator('[data-testid="silence-form"]');
      await form.locator(`[name="indicatorKey"] option[value="${INDICATOR}"]`).waitFor({ state: 'attached', timeout: 10_000 });
      await form.locator('[name="indicatorKey"]').selectOption(INDICATOR);
      await form.locator('[data-testid="area-filter"] input').fill(TIANHE);
      await form.locator(`.area-suggestion[data-code="${TIANHE}"]`).click();
      // No reason yet: said under the reason, nothing sent.
      await form.locator('[data-testid="silence-form-submit"]').click();
      await form.locator('[name="reason"][aria-invalid="true"]').waitFor({ timeout: 5_000 });
      expect(await silences()).toEqual([]);
      await shoot(page, 'silences-form-refused-zh');

      await form.locator('[name="reason"]').fill('天河路封路施工，预计 18:00 恢复');
      await form.locator('[data-testid="silence-form-submit"]').click();
      const row = page.locator('[data-testid="silence-row"][data-phase="active"]', { hasText: '天河路封路施工' });
      await row.waitFor({ timeout: 10_000 });
      expect(await row.locator('[data-testid="silence-area"]').textContent()).toContain('天河区');
      expect(await row.textContent()).toContain('duty-operator 设置');
      expect(await page.locator('[data-testid="silences-notice"]').textContent()).toContain('已开始静默');
      const [stored] = await silences();
      expect(stored).toMatchObject({ indicatorKey: INDICATOR, areaCode: TIANHE, createdBy: 'duty-operator', active: true });
      expect(Date.parse(stored.endsAt) - Date.parse(stored.startsAt)).toBeGreaterThan(59 * 60_000);
      await shoot(page, 'silences-1080-zh');

      await page.click('[data-testid="lang-switch"]');
      await page.waitForSelector('html[lang="en"]');
      expect(await row.textContent()).toContain('set by duty-operator');
      await shoot(page, 'silences-1080-en');

      // A phone: one column, nothing to scroll sideways, the end button at hand.
      await page.setViewportSize(PHONE);
      await painted(page);
      expect(await pastTheEdge(page)).toEqual([]);
      await shoot(page, 'silences-375-en');
      await page.click('[data-testid="silence-create"]');
      await form.waitFor();
      expect(await pastTheEdge(page)).toEqual([]);
      await shoot(page, 'silences-375-form-en');
      await form.locator('button', { hasText: 'Cancel' }).click();

      await row.locator('[data-testid="silence-end"]').click();
      await row.locator('[data-testid="silence-end-confirm"]').click();
      await page.locator(`[data-testid="silence-row"][data-id="${stored.id}"][data-phase="ended"]`).waitFor({ timeout: 10_000 });
      expect((await silences()).find((s) => s.id === stored.id)).toMatchObject({ active: false, expiredAt: expect.any(String) });
      await page.setViewportSize(WALL_VIEWPORTS.fullHd);
      await shoot(page, 'silences-1080-ended-en');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('lets an operator silence an alert from the wall for an hour, with a reason; the banner stands down', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    const errors = watchErrors(page);
    try {
      await page.goto(`${stack.url}/wall?lang=zh`);
      await signIn(page, operator);
      await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 60_000 });

      const target = course[7];
      await postHeadcounts(stack.url, [{ code: target.code, headcount: Math.round(target.capacity * 1.25) }], new Date());
      const item = page.locator(`[data-testid="alert-item"][data-level="critical"][data-area-code="${target.code}"]`);
      await item.waitFor({ timeout: 20_000 });
      await page.locator(`[data-testid="critical-banner"][data-area-code="${target.code}"]`).waitFor({ timeout: 5_000 });

      await page.screenshot({ path: screenshotPath('wall-1080-silence-button') });
      // Keyboard only, as the acknowledgement: focus the button, Enter asks the reason, Enter sends it.
      await item.locator('[data-testid="alert-silence"]').focus();
      await page.keyboard.press('Enter');
      await page.keyboard.type('赛段临时调整容量，已知');
      await page.screenshot({ path: screenshotPath('wall-1080-silence-form') });
      await page.keyboard.press('Enter');

      await item.locator('.alert-flag', { hasText: '已静默' }).waitFor({ timeout: 10_000 });
      expect(await item.locator('[data-testid="alert-silence"]').count()).toBe(0);
      await page.locator('[data-testid="critical-banner"]').waitFor({ state: 'hidden', timeout: 5_000 });
      await page.screenshot({ path: screenshotPath('wall-1080-silenced') });

      const made = (await silences()).find((s) => s.reason === '赛段临时调整容量，已知');
      expect(made).toMatchObject({ indicatorKey: INDICATOR, areaId: target.id, theme: null, createdBy: 'duty-operator', active: true });
      expect(Date.parse(made?.endsAt ?? '') - Date.parse(made?.startsAt ?? '')).toBeGreaterThan(59 * 60_000);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
