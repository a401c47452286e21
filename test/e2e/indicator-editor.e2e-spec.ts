import type { Browser, Page } from 'playwright-core';
import { postHeadcounts, segments, type Segment } from '../support/marathon';
import { kioskToken, login, startStack, type TestStack } from '../support/stack';
import { TEST_SECRETS } from '../support/test-env';
import { cspViolations, launchBrowser, painted, screenshotPath, WALL_VIEWPORTS, signInThroughForm, requireBuiltWebApp } from './browser';

jest.setTimeout(180_000);

const KEY = 'crowd.editor-low-load';
const NAME = '赛段低负荷（编辑器测试）';

function watchErrors(page: Page): string[] {
  const errors = cspViolations(page);
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function shoot(page: Page, name: string): Promise<void> {
  await painted(page);
  await page.screenshot({ path: screenshotPath(name) });
}

async function switchTo(page: Page, lang: 'zh' | 'en'): Promise<void> {
  if ((await page.getAttribute('html', 'lang')) === (lang === 'zh' ? 'zh-CN' : 'en')) return;
  await page.click('[data-testid="lang-switch"]');
  await page.waitForSelector(`html[lang="${lang === 'zh' ? 'zh-CN' : 'en'}"]`);
}

describe('the indicator editor in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let admin: Page;
  let errors: string[];
  let course: Segment[];

  beforeAll(async () => {
    requireBuiltWebApp();
    // A worker evaluates the saved indicator when its feed gets records.
    stack = await startStack({ workers: 1 });
    // This suite looks at one scene: no rotation (the demo's default playlist) moves the wall on.
    await stack.db.query('DELETE FROM wall_playlist');
    course = await segments(stack.url, await login(stack.url));
    browser = await launchBrowser();
    admin = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    errors = watchErrors(admin);
    await admin.goto(`${stack.url}/admin/indicators`);
    await signInThroughForm(admin, 'admin', TEST_SECRETS.ADMIN_PASSWORD);
    await admin.waitForSelector('.admin[data-section="indicators"] [data-testid="indicator-table"]', { timeout: 15_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  afterEach(() => {
    expect(errors).toEqual([]);
  });

  it('creates an indicator over the marathon feed, previews the last hour, saves it and sees it alert on the wall', async () => {
    // Twenty minutes ago two segments reported: the hour the preview replays has data to alert on.
    const earlier = await postHeadcounts(
      stack.url,
      course.slice(2, 4).map((s) => ({ code: s.code, headcount: Math.round(s.capacity * 0.3) })),
      new Date(Date.now() - 20 * 60_000),
    );
    expect(earlier.status).toBeLessThan(300);

    await admin.click('[data-testid="indicator-create"]');
    const form = admin.locator('[data-testid="indicator-form"]');
    await form.locator('[name="feed"] option[value="marathon-crowd"]').waitFor({ state: 'attached', timeout: 10_000 });
    await form.locator('[name="key"]').fill(KEY);
    await form.locator('[name="name"]').fill(NAME);
    await form.locator('[name="nameEn"]').fill('Low segment load (editor test)');
    await form.locator('[name="theme"]').fill('emergency');
    await form.locator('[name="percent"]').check();
    await form.locator('[name="feed"]').selectOption('marathon-crowd');
    await form.locator('[name="metric"]').selectOption('headcount');
    await form.locator('[name="windowSeconds"]').fill('120');
    await form.locator('[name="perEntity"]').selectOption('latest');
    await form.locator('[name="across"]').selectOption('sum');
    await form.locator('[name="normalise"]').selectOption('per_capacity');
    await form.locator('[name="groupingKind"][value="zoneSet"]').check();
    // The zone sets come as choices (from the map's catalog) once the grouping asks for one.
    await form.locator('[name="zoneSet"] option[value="gz-marathon"]').waitFor({ state: 'attached', timeout: 10_000 });
    await form.locator('[name="zoneSet"]').selectOption('gz-marathon');
    await form.locator('[data-testid="threshold-add"]').click();
    await form.locator('[name="thresholds.0.level"]').selectOption('warning');
    await form.locator('[name="thresholds.0.value"]').fill('0.05');

    await form.locator('[data-testid="indicator-preview-button"]').click();
    const preview = admin.locator('[data-testid="indicator-preview"]');
    await preview.waitFor({ timeout: 15_000 });
    const areas = preview.locator('[data-testid="preview-area"]');
    expect(await areas.count()).toBeGreaterThanOrEqual(1);
    const shownAreas = await areas.evaluateAll((els: { getAttribute(name: string): string | null }[]) =>
      els.map((e) => e.getAttribute('data-area')),
    );
    expect(shownAreas).toEqual(expect.arrayContaining([course[2].code, course[3].code]));
    expect(await areas.first().locator('[data-testid="preview-trend"] line[data-level="warning"]').count()).toBe(1);
    const stretches = preview.locator('[data-testid="preview-alert"]');
    expect(await stretches.count()).toBeGreaterThanOrEqual(1);
    expect(await stretches.first().getAttribute('data-level')).toBe('warning');
    await shoot(admin, 'indicator-editor-preview-zh');
    await switchTo(admin, 'en');
    expect(await preview.locator('h3').textContent()).toBe('Preview: the last hour');
    await shoot(admin, 'indicator-editor-preview-en');
    await switchTo(admin, 'zh');

    await form.locator('[data-testid="indicator-form-submit"]').click();
    const row = admin.locator(`[data-testid="indicator-row"][data-key="${KEY}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('marathon-crowd · headcount');
    expect(await row.locator('.threshold-line').allTextContents()).toEqual(['预警 ≥ 0.05']);
    expect(await admin.locator('[data-testid="admin-notice"]').textContent()).toContain(NAME);
    await shoot(admin, 'indicator-editor-list-zh');

    // The wall, then a breaching record for a segment that had no value: the new indicator alerts there.
    const wall = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    const wallErrors = watchErrors(wall);
    await wall.goto(`${stack.url}/wall?kiosk=${kioskToken}`);
    await wall.waitForSelector('.wall[data-live-status="connected"]', { timeout: 30_000 });
    const target = course[5];
    const breach = await postHeadcounts(stack.url, [{ code: target.code, headcount: Math.round(target.capacity * 0.5) }], new Date());
    expect(breach.status).toBeLessThan(300);
    const item = wall.locator(`[data-testid="alert-item"][data-area-code="${target.code}"]`, { hasText: NAME });
    await item.waitFor({ timeout: 20_000 });
    expect(await item.getAttribute('data-level')).toBe('warning');
    await wall.screenshot({ path: screenshotPath('indicator-editor-wall-alert') });
    expect(wallErrors).toEqual([]);
    await wall.close();
  });

  it('shows a bad definition’s errors on their fields, in the page’s language: a missing indicator, thresholds out of order', async () => {
    await admin.click('[data-testid="indicator-create"]');
    const form = admin.locator('[data-testid="indicator-form"]');
    await form.locator('[name="key"]').fill('city.bad-formula');
    await form.locator('[name="name"]').fill('坏公式');
    await form.locator('[name="sourceKind"][value="composite"]').check();
    await form.locator('[name="formula"]').fill('{no.such-indicator} * 2');
    await form.locator('[data-testid="threshold-add"]').click();
    await form.locator('[name="thresholds.0.value"]').fill('50');
    await form.locator('[data-testid="threshold-add"]').click();
    await form.locator('[name="thresholds.1.value"]').fill('40');
    await form.locator('[data-testid="indicator-preview-button"]').click();
    const formula = form.locator('[name="formula"][aria-invalid="true"]');
    await formula.waitFor({ timeout: 10_000 });
    const fieldError = form.locator('.formula-field [data-testid="field-error"]');
    const thresholdError = form.locator('[data-testid="threshold-row"]').nth(1).locator('[data-testid="field-error"]');
    expect(await fieldError.textContent()).toBe('公式引用的 {no.such-indicator} 不是已有的指标');
    expect(await thresholdError.textContent()).toBe('阈值顺序不对：预警（40）须高于提示（50）');
    expect(await admin.locator('[data-testid="indicator-preview"]').count()).toBe(0);
    await shoot(admin, 'indicator-editor-error-zh');
    await switchTo(admin, 'en');
    expect(await fieldError.textContent()).toBe('The formula reads {no.such-indicator}, which is not an indicator');
    expect(await thresholdError.textContent()).toBe('Thresholds out of order: Warning (40) must be above Notice (50)');
    await shoot(admin, 'indicator-editor-error-en');
    await switchTo(admin, 'zh');
  });
});
