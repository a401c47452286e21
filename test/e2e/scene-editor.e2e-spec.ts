import type { Browser, Page } from 'playwright-core';
import { login, startStack, type TestStack } from '../support/stack';
import { TEST_SECRETS } from '../support/test-env';
import {
  cspViolations,
  launchBrowser,
  waitUntil,
  painted,
  screenshotPath,
  WALL_VIEWPORTS,
  signInThroughForm,
  requireBuiltWebApp,
} from './browser';

jest.setTimeout(240_000);

const KEY = 'e2e-flood-drill';
const NAME = '防汛演练（编辑器测试）';
const NAME_EN = 'Flood drill (editor test)';
const KPI_LABEL = '演练指标';

function watchErrors(page: Page): string[] {
  const errors = cspViolations(page);
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function shoot(page: Page, name: string): Promise<void> {
  await painted(page);
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
}

async function switchTo(page: Page, lang: 'zh' | 'en'): Promise<void> {
  if ((await page.getAttribute('html', 'lang')) === (lang === 'zh' ? 'zh-CN' : 'en')) return;
  await page.click('[data-testid="lang-switch"]');
  await page.waitForSelector(`html[lang="${lang === 'zh' ? 'zh-CN' : 'en'}"]`);
}

/** The words of the page's own controls (not the names of scenes, layers or indicators, which are data). */
const CHROME_TEXT = `[...document.querySelectorAll('.admin-nav, .section-head, th, .form-label, button:not(.lang-switch), .form-hint, .notice, .problem')]
  .map((el) => el.textContent).join('\\n')`;

describe('the wall scene editor in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let admin: Page;
  let errors: string[];
  let token: string;

  beforeAll(async () => {
    requireBuiltWebApp();
    stack = await startStack({ workers: 0 });
    token = await login(stack.url);
    browser = await launchBrowser();
    admin = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    errors = watchErrors(admin);
    await admin.goto(`${stack.url}/admin/scenes`);
    await signInThroughForm(admin, 'admin', TEST_SECRETS.ADMIN_PASSWORD);
    await admin.waitForSelector('.admin[data-section="scenes"] [data-testid="scene-table"]', { timeout: 15_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  afterEach(() => {
    expect(errors).toEqual([]);
  });

  it('creates a theme scene with a layer and a KPI tile, adds it to the default rotation, and the wall shows it', async () => {
    await admin.click('[data-testid="scene-create"]');
    const form = admin.locator('[data-testid="scene-form"]');
    // The catalogs come as choices: a layer of the catalog, an indicator for the tile.
    await form.locator('[name="layerToAdd"] option[value="areas-street"]').waitFor({ state: 'attached', timeout: 10_000 });
    await form.locator('[name="key"]').fill(KEY);
    await form.locator('[name="kind"]').selectOption('theme');
    expect(await form.locator('[data-testid="scene-event-fields"]').count()).toBe(0);
    await form.locator('[name="name"]').fill(NAME);
    await form.locator('[name="nameEn"]').fill(NAME_EN);
    await form.locator('[name="layerToAdd"]').selectOption('areas-street');
    await form.locator('[data-testid="scene-add-layer"]').click();
    await form.locator('[data-testid="scene-kpi-add"]').click();
    const indicator = form.locator('[name="kpis.0.indicatorKey"] option:not([value=""])').first();
    await indicator.waitFor({ state: 'attached', timeout: 10_000 });
    const indicatorKey = await indicator.getAttribute('value');
    expect(indicatorKey).toBeTruthy();
    await form.locator('[name="kpis.0.indicatorKey"]').selectOption(indicatorKey ?? '');
    await form.locator('[name="kpis.0.label"]').fill(KPI_LABEL);
    await form.locator('[name="kpis.0.labelEn"]').fill('Drill figure');
    await form.locator('[name="position"]').fill('5');
    await shoot(admin, 'scene-editor-form-zh');
    await switchTo(admin, 'en');
    expect(await form.locator('.panel-title').textContent()).toBe('New scene');
    const chinese = (await admin.evaluate<string>(CHROME_TEXT)).split('\n').filter((line) => /[\u4e00-\u9fff]/.test(line));
    expect(chinese).toEqual([]);
    await shoot(admin, 'scene-editor-form-en');
    await switchTo(admin, 'zh');

    await form.locator('[data-testid="scene-form-submit"]').click();
    const row = admin.locator(`[data-testid="scene-row"][data-key="${KEY}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('[data-testid="scene-layer-count"]').textContent()).toBe('1');
    expect(await row.locator('[data-testid="scene-kpi-count"]').textContent()).toBe('1');
    expect(await row.textContent()).toContain('专题');
    expect(await admin.locator('[data-testid="admin-notice"]').textContent()).toBe(`已新建场景“${NAME}”`);
    const saved = await fetch(`${stack.url}/api/scenes/${KEY}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await saved.json()).toMatchObject({
      kind: 'theme',
      name: NAME,
      layers: ['areas-street'],
      kpis: [{ indicatorKey, areaId: null, label: KPI_LABEL, labelEn: 'Drill figure' }],
      position: 5,
    });

    // Into the default rotation, last, for 30 seconds.
    const playlistRow = admin.locator('[data-testid="playlist-row"][data-key="default"]');
    await playlistRow.waitFor({ timeout: 10_000 });
    const stopsBefore = await playlistRow.locator('[data-testid="playlist-stop"]').count();
    await playlistRow.locator('[data-testid="playlist-edit"]').click();
    const playlistForm = admin.locator('[data-testid="playlist-form"]');
    await playlistForm.locator('[data-testid="playlist-entry-add"]').click();
    await playlistForm.locator(`[name="entries.${stopsBefore}.scene"]`).selectOption(KEY);
    await playlistForm.locator(`[name="entries.${stopsBefore}.dwellSeconds"]`).fill('30');
    await shoot(admin, 'scene-editor-playlist-zh');
    await playlistForm.locator('[data-testid="playlist-form-submit"]').click();
    await admin.waitForSelector(`[data-testid="playlist-row"][data-key="default"] [data-testid="playlist-stop"][data-scene="${KEY}"]`, {
      timeout: 15_000,
    });
    const playlist = (await (
      await fetch(`${stack.url}/api/playlists/default`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { entries: { scene: string; dwellSeconds: number }[] };
    expect(playlist.entries).toHaveLength(stopsBefore + 1);
    expect(playlist.entries[stopsBefore]).toEqual({ scene: KEY, dwellSeconds: 30 });
    await shoot(admin, 'scene-editor-list-zh');
    await switchTo(admin, 'en');
    await shoot(admin, 'scene-editor-list-en');
    await switchTo(admin, 'zh');

    // The list's preview link opens the wall holding the new scene, in the admin's session.
    const [wall] = await Promise.all([admin.context().waitForEvent('page'), row.locator('[data-testid="scene-preview"]').click()]);
    const wallErrors = watchErrors(wall);
    await wall.setViewportSize(WALL_VIEWPORTS.fullHd);
    expect(new URL(wall.url()).search).toBe(`?scene=${KEY}`);
    await wall.waitForSelector(`.wall[data-scene="${KEY}"] [data-testid="wall-event"][title="${NAME}"]`, {
      state: 'attached',
      timeout: 60_000,
    });
    const tile = wall.locator('[data-testid="kpi-scene-0"]');
    await tile.waitFor({ timeout: 15_000 });
    expect(await tile.getAttribute('aria-label')).toBe(KPI_LABEL);
    await wall.screenshot({ path: screenshotPath('scene-editor-wall') });
    expect(wallErrors).toEqual([]);
    await wall.close();
  });

  it('shows the server’s refusal of a typed layer key on that layer, in the page’s language', async () => {
    await admin.click('[data-testid="scene-create"]');
    const form = admin.locator('[data-testid="scene-form"]');
    await form.locator('[name="key"]').fill('e2e-bad-layer');
    await form.locator('[name="name"]').fill('坏图层');
    // A key typed by hand is sent as it is: only the server knows the layer keys' pattern and the catalog.
    await form.locator('[name="otherLayer"]').fill('Not A Layer');
    await form.locator('[data-testid="scene-add-other-layer"]').click();
    await form.locator('[data-testid="scene-form-submit"]').click();
    const message = form.locator('[data-testid="scene-layer"][data-key="Not A Layer"] [data-testid="field-error"]');
    await message.waitFor({ timeout: 15_000 });
    expect(await message.textContent()).toBe('不是图层标识（见图层目录）');
    expect(await form.locator('[data-testid="form-problem"]').textContent()).toContain('提交的内容有误');
    await shoot(admin, 'scene-editor-field-error-zh');
    await switchTo(admin, 'en');
    expect(await message.textContent()).toBe('Not a layer key (see the layer catalog)');
    await shoot(admin, 'scene-editor-field-error-en');
    await switchTo(admin, 'zh');
    // Nothing was saved.
    const res = await fetch(`${stack.url}/api/scenes/e2e-bad-layer`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(404);
    await form.locator('.close-button').click();
  });

  it('offers an event the zone sets and the indicators computed over the chosen one, and shows a district’s area by name', async () => {
    await admin.click('[data-testid="scene-create"]');
    const form = admin.locator('[data-testid="scene-form"]');
    await form.locator('[name="kind"]').selectOption('event');
    const events = form.locator('[data-testid="scene-event-fields"]');
    await events.locator('[name="zoneSet"] option[value="gz-marathon"]').waitFor({ state: 'attached', timeout: 10_000 });
    expect(await events.locator('[name="indicatorKey"] option:not([value=""])').count()).toBe(0);
    await events.locator('[name="zoneSet"]').selectOption('gz-marathon');
    expect(await events.locator('[name="indicatorKey"] option:not([value=""])').count()).toBeGreaterThanOrEqual(1);
    await shoot(admin, 'scene-editor-event-zh');
    await switchTo(admin, 'en');
    expect(await events.locator('legend').textContent()).toBe('Event');
    await shoot(admin, 'scene-editor-event-en');
    await switchTo(admin, 'zh');
    await form.locator('.close-button').click();

    // The demo's district scene: its framed area, saved as an id, shown by name.
    const district = admin.locator('[data-testid="scene-row"][data-key="gz-tianhe"]');
    await district.locator('[data-testid="scene-edit"]').click();
    const area = admin.locator('[data-testid="scene-focus-area"] .area-field--chosen');
    await area.waitFor({ timeout: 15_000 });
    await waitUntil(
      admin,
      `return /天河/.test(document.querySelector('[data-testid="scene-focus-area"] .area-field--chosen')?.textContent ?? '');`,
      { timeout: 15_000 },
    );
    expect(await admin.locator('[data-testid="scene-form"] [name="camerasOn"]').isChecked()).toBe(true);
    await shoot(admin, 'scene-editor-district-zh');
    await admin.locator('[data-testid="scene-form"] .close-button').click();
  });
});
