import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eventually } from '../support/eventually';
import { feedToken, login, startStack, type TestStack } from '../support/stack';
import { TEST_SECRETS } from '../support/test-env';
import { cspViolations, launchBrowser, painted, screenshotPath, WALL_VIEWPORTS, signInThroughForm, requireBuiltWebApp } from './browser';

jest.setTimeout(180_000);

const VIEWPORT = WALL_VIEWPORTS.fullHd;
const YUEXIU = '440104';
const MARATHON_FEED = 'marathon-crowd';

/** Script errors and Content-Security-Policy violations (the API's policy is on): a page must have none. */
function watchErrors(page: Page): string[] {
  const errors = cspViolations(page);
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await signInThroughForm(page, username, password);
}

async function openSection(page: Page, section: string): Promise<void> {
  await page.click(`[data-testid="admin-nav"][data-section="${section}"]`);
  await page.waitForSelector(`.admin[data-section="${section}"]`);
}

/** Switches the page's language with its header button, and waits for the page to speak it. */
async function switchTo(page: Page, lang: 'zh' | 'en'): Promise<void> {
  if ((await page.getAttribute('html', 'lang')) === (lang === 'zh' ? 'zh-CN' : 'en')) return;
  await page.click('[data-testid="lang-switch"]');
  await page.waitForSelector(`html[lang="${lang === 'zh' ? 'zh-CN' : 'en'}"]`);
}

const CHROME_TEXT = `[...document.querySelectorAll('.admin-nav, .section-head, th, label, button:not(.lang-switch), .form-hint, .note, .notice, .problem, .secret-note')]
  .map((el) => el.textContent).join('\\n')`;

/** None of the page's own words left in Chinese once it speaks English (names of places and people aside). */
async function expectNoChineseChrome(page: Page): Promise<void> {
  const chrome = await page.evaluate<string>(CHROME_TEXT);
  const chinese = chrome
    .split('\n')
    .filter((line) => /[\u4e00-\u9fff]/.test(line) && !/越秀区|系统管理员|数据分析员|指挥中心|客流统计/.test(line));
  expect(chinese).toEqual([]);
}

async function shoot(page: Page, name: string): Promise<void> {
  await painted(page);
  await page.screenshot({ path: screenshotPath(name) });
}

/** Whether the server offers a route at all (the audit API is built beside this page). */
async function offers(stack: TestStack, token: string, path: string): Promise<boolean> {
  const res = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status !== 404;
}

describe('the admin pages in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let adminContext: BrowserContext;
  let admin: Page;
  let adminErrors: string[];
  let adminToken: string;

  beforeAll(async () => {
    requireBuiltWebApp();
    // Sessions are checked against the store every second, so that a disabled person is out at once.
    stack = await startStack({ workers: 0, env: { SESSION_CHECK_SECONDS: '1' } });
    // This suite looks at one scene: no rotation (the demo's default playlist) moves the wall on.
    await stack.db.query('DELETE FROM wall_playlist');
    adminToken = await login(stack.url);
    browser = await launchBrowser();
    adminContext = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, acceptDownloads: true });
    admin = await adminContext.newPage();
    adminErrors = watchErrors(admin);
    await admin.goto(`${stack.url}/admin`);
    await signIn(admin, 'admin', TEST_SECRETS.ADMIN_PASSWORD);
    await admin.waitForSelector('[data-testid="user-row"][data-username="admin"]', { timeout: 15_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  afterEach(() => {
    expect(adminErrors).toEqual([]);
  });

  it('creates a district analyst who must change the password first, then sees the app, until the admin disables them', async () => {
    await shoot(admin, 'admin-users-zh');
    await admin.click('[data-testid="user-create"]');
    const form = admin.locator('[data-testid="user-form"]');
    await form.locator('[name="username"]').fill('yuexiu.analyst');
    await form.locator('[name="displayName"]').fill('越秀区数据分析员');
    await form.locator('[data-testid="generate-password"]').click();
    const firstPassword = await form.locator('[name="password"]').inputValue();
    expect(firstPassword).toMatch(/^[\w]{5}(-[\w]{5}){3}$/);
    await form.locator('[data-role="analyst"] input').check();
    await form.locator('[data-testid="scope-search"]').fill('越秀区');
    await form.locator(`[data-testid="scope-results"] [data-testid="scope-area"][data-code="${YUEXIU}"] input`).check();
    await form.locator('[name="department"]').selectOption('public-security');
    expect(await form.locator('[data-testid="scope-chosen"]').textContent()).toContain('越秀区');
    await shoot(admin, 'admin-user-form-zh');

    await form.locator('[data-testid="user-form-submit"]').click();
    const reveal = admin.locator('[data-testid="secret-reveal"]');
    await reveal.waitFor({ timeout: 10_000 });
    expect(await reveal.locator('[data-testid="revealed-password"]').inputValue()).toBe(firstPassword);
    const row = admin.locator('[data-testid="user-row"][data-username="yuexiu.analyst"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getAttribute('data-must-change')).toBe('true');
    expect(await row.textContent()).toContain('越秀区');
    expect(await row.textContent()).toContain('公安');
    expect(await row.textContent()).toContain('从未登录');
    await shoot(admin, 'admin-user-created-zh');
    await reveal.locator('[data-testid="secret-done"]').click();

    // The person signs in in a browser of their own: the password form stands in front of the catalog.
    const userContext = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    const user = await userContext.newPage();
    const userErrors = watchErrors(user);
    await user.goto(`${stack.url}/catalog`);
    await signIn(user, 'yuexiu.analyst', firstPassword);
    const change = user.locator('[data-testid="change-password-form"]');
    await change.waitFor({ timeout: 15_000 });
    expect(await user.locator('.catalog').count()).toBe(0);
    await change.locator('[name="currentPassword"]').fill(firstPassword);
    await change.locator('[name="newPassword"]').fill('password1234');
    await change.locator('[name="repeatPassword"]').fill('password1234');
    await change.locator('[data-testid="change-password-submit"]').click();
    const reason = change.locator('[data-testid="field-error"]');
    await reason.waitFor({ timeout: 10_000 });
    // The server's reason, said in Chinese beside the new password.
    expect(await reason.textContent()).toContain('这是最常用的密码之一');
    await shoot(user, 'change-password-zh');
    await change.locator('[name="newPassword"]').fill('Yuexiu-hills-2026');
    await change.locator('[name="repeatPassword"]').fill('Yuexiu-hills-2026');
    await change.locator('[data-testid="change-password-submit"]').click();
    await user.waitForSelector('.catalog [data-testid="catalog-feed-row"]', { timeout: 15_000 });
    expect(await user.locator('.catalog-user').textContent()).toContain('越秀区数据分析员');
    // Not an admin: no admin link, and /admin says politely whom it is for.
    expect(await user.locator('[data-testid="admin-link"]').count()).toBe(0);
    await user.goto(`${stack.url}/admin`);
    await user.waitForSelector('[data-testid="admin-forbidden"]', { timeout: 15_000 });
    expect(await user.locator('[data-testid="admin-forbidden"]').textContent()).toContain('系统管理仅供管理员使用');
    await shoot(user, 'admin-forbidden-zh');

    // The admin sees the sign-in and the password changed, then disables the person.
    await admin.click('[data-testid="admin-nav"][data-section="users"]');
    await admin.fill('[data-testid="user-filters"] [name="q"]', 'yuexiu');
    await admin.waitForSelector('[data-testid="user-row"][data-username="yuexiu.analyst"][data-must-change="false"]', { timeout: 10_000 });
    expect(await admin.locator('[data-testid="user-row"]').count()).toBe(1);
    expect(await row.textContent()).not.toContain('从未登录');
    await row.locator('[data-testid="user-disable"]').click();
    await row.locator('[data-testid="user-disable-confirm"]').click();
    await admin.waitForSelector('[data-testid="user-row"][data-username="yuexiu.analyst"][data-disabled="true"]', { timeout: 10_000 });
    expect(await admin.locator('[data-testid="admin-notice"]').textContent()).toContain('已停用 越秀区数据分析员');

    // Their session ends (within SESSION_CHECK_SECONDS), and they cannot sign in again.
    const refused = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'yuexiu.analyst', password: 'Yuexiu-hills-2026' }),
    });
    expect(refused.status).toBe(401);
    await user.goto(`${stack.url}/catalog`);
    await user.waitForSelector('[data-testid="sign-in-form"]', { timeout: 15_000 });
    expect(userErrors).toEqual([]);
    await userContext.close();

    await switchTo(admin, 'en');
    await admin.fill('[data-testid="user-filters"] [name="q"]', '');
    await admin.waitForSelector('[data-testid="user-row"][data-username="admin"]');
    await expectNoChineseChrome(admin);
    await shoot(admin, 'admin-users-en');
    await admin.locator('[data-testid="user-row"][data-username="yuexiu.analyst"] [data-testid="user-edit"]').click();
    await admin.waitForSelector('[data-testid="user-form"][data-mode="edit"] [data-testid="scope-area"]');
    await expectNoChineseChrome(admin);
    await shoot(admin, 'admin-user-form-en');
    await admin.click('[data-testid="user-form"] .close-button');
    await switchTo(admin, 'zh');
  });

  it('offers the admin pages to an admin from the home page and the catalog header', async () => {
    // A new tab of the same browser: no session in it yet, the refresh cookie renews the admin's.
    const page = await adminContext.newPage();
    const errors = watchErrors(page);
    await page.goto(`${stack.url}/`);
    await page.waitForSelector('[data-testid="home-admin-link"]', { timeout: 15_000 });
    await page.goto(`${stack.url}/catalog`);
    await page.click('[data-testid="admin-link"]', { timeout: 15_000 });
    await page.waitForSelector('[data-testid="admin-users"]', { timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/admin');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('registers a display and opens the wall link it shows once', async () => {
    await openSection(admin, 'displays');
    await admin.click('[data-testid="display-create"]');
    const form = admin.locator('[data-testid="display-form"]');
    await form.locator('[name="name"]').fill('越秀区指挥中心主屏');
    await form.locator('[name="description"]').fill('三楼大厅');
    await form.locator(`[data-testid="scope-area"][data-code="${YUEXIU}"] input`).check();
    await form.locator('[data-testid="display-form-submit"]').click();
    const reveal = admin.locator('[data-testid="secret-reveal"]');
    await reveal.waitFor({ timeout: 10_000 });
    const link = await reveal.locator('[data-testid="revealed-wall-link"]').inputValue();
    const token = await reveal.locator('[data-testid="revealed-token"]').inputValue();
    expect(link).toBe(`${stack.url}/wall?kiosk=${encodeURIComponent(token)}`);
    expect(await reveal.locator('[data-testid="secret-once-note"]').textContent()).toContain('仅此一次显示');
    await shoot(admin, 'admin-display-registered-zh');

    const wallContext = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    const wall = await wallContext.newPage();
    const wallErrors = watchErrors(wall);
    await wall.goto(link);
    await wall.waitForSelector('.wall[data-live-status="connected"]', { timeout: 30_000 });
    // The token left the visible address at once.
    expect(wall.url()).not.toContain(token);
    expect(wallErrors).toEqual([]);
    await wallContext.close();

    await reveal.locator('[data-testid="secret-done"]').click();
    expect(await admin.content()).not.toContain(token);
    // The wall has been seen: the list says so once it is loaded again.
    await admin.click('[data-testid="displays-refresh"]');
    const row = admin.locator('[data-testid="display-row"][data-name="越秀区指挥中心主屏"]');
    await eventually(async () => !((await row.textContent()) ?? '从未').includes('从未'), 10_000, 'the display seen');
    expect(await row.textContent()).toContain('越秀区');
    await shoot(admin, 'admin-displays-zh');
    await switchTo(admin, 'en');
    await expectNoChineseChrome(admin);
    await shoot(admin, 'admin-displays-en');
    await switchTo(admin, 'zh');
  });

  it('revokes a feed key, after which its pushes are refused', async () => {
    await openSection(admin, 'feed-keys');
    await admin.click('[data-testid="feed-key-create"]');
    const form = admin.locator('[data-testid="feed-key-form"]');
    await form.locator('[name="feed"]').selectOption(MARATHON_FEED);
    await form.locator('[name="name"]').fill('客流统计系统 e2e');
    await form.locator('[data-testid="feed-key-form-submit"]').click();
    const secret = await admin.locator('[data-testid="revealed-secret"]').inputValue();
    await shoot(admin, 'admin-feed-key-created-zh');
    await admin.click('[data-testid="secret-done"]');

    const push = (key: string) =>
      fetch(`${stack.url}/api/feeds/${MARATHON_FEED}/records`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          records: [{ id: `e2e-${Date.now()}`, metric: 'headcount', value: 10, ts: new Date().toISOString(), area: 'GZM-01' }],
        }),
      });
    expect((await push(secret)).status).toBe(200);
    const row = admin.locator('[data-testid="feed-key-row"][data-name="客流统计系统 e2e"]');
    await row.locator('[data-testid="feed-key-revoke"]').click();
    await row.locator('[data-testid="feed-key-revoke-confirm"]').click();
    await admin.waitForSelector('[data-testid="feed-key-row"][data-name="客流统计系统 e2e"][data-revoked="true"]', { timeout: 10_000 });
    await eventually(async () => (await push(secret)).status === 401, 65_000, 'the revoked key refused', 1000);
    // The simulator's own key still works.
    expect((await push(feedToken)).status).toBe(200);
    await shoot(admin, 'admin-feed-keys-zh');
    await switchTo(admin, 'en');
    await expectNoChineseChrome(admin);
    await shoot(admin, 'admin-feed-keys-en');
    await switchTo(admin, 'zh');
  });

  it('lists what was done in the audit log, and downloads the filtered rows as CSV, or says plainly the server has no audit API', async () => {
    await openSection(admin, 'audit');
    if (!(await offers(stack, adminToken, '/api/audit'))) {
      await admin.waitForSelector('[data-testid="not-available"][data-endpoint="/api/audit"]');
      expect(await admin.locator('[data-testid="audit-csv"]').count()).toBe(0);
      await shoot(admin, 'admin-audit-zh');
      await switchTo(admin, 'en');
      await shoot(admin, 'admin-audit-en');
      await switchTo(admin, 'zh');
      return;
    }
    await admin.waitForSelector('[data-testid="audit-row"]', { timeout: 10_000 });
    const actions = async () =>
      admin.locator('[data-testid="audit-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    expect(await actions()).toEqual(expect.arrayContaining(['user.create', 'user.update']));
    await shoot(admin, 'admin-audit-zh');

    await admin.fill('[data-testid="audit-filters"] [name="action"]', 'user.');
    await admin.click('[data-testid="audit-apply"]');
    await eventually(
      async () => {
        const seen = await actions();
        return seen.length > 0 && seen.every((a) => a?.startsWith('user.'));
      },
      10_000,
      'user events only',
    );
    const shown = await admin.locator('[data-testid="audit-row"]').count();

    const [download] = await Promise.all([admin.waitForEvent('download'), admin.click('[data-testid="audit-csv"]')]);
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/);
    expect(lines[0]).toMatch(/^id,at,actor_kind/);
    expect(lines).toHaveLength(shown + 1);
    expect(lines.slice(1).every((line) => line.includes(',user.'))).toBe(true);
    await switchTo(admin, 'en');
    await expectNoChineseChrome(admin);
    await shoot(admin, 'admin-audit-en');
    await switchTo(admin, 'zh');
  });
});
