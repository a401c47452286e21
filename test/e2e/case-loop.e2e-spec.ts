import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { CaseDetail } from '@cityops/contracts';
import { samplePhoto } from '../support/photo-samples';
import { createUser, login, startStack, type TestStack, type TestUser } from '../support/stack';
import {
  cspViolations,
  launchBrowser,
  painted,
  screenshotPath,
  signInThroughForm,
  waitUntil,
  WALL_VIEWPORTS,
  requireBuiltWebApp,
} from './browser';

jest.setTimeout(240_000);

const TIANHE = '440106';
/** An ordinary phone's screen. */
const PHONE = { width: 375, height: 667 };
/** Where the demo rule sends 城管 cases of Tianhe. */
const TIANHE_URBAN_MANAGEMENT = 'th-urban-management';
const TIANHE_URBAN_MANAGEMENT_ZH = '天河区城市管理和综合执法局';
const TIANHE_URBAN_MANAGEMENT_EN = 'Tianhe Urban Management Bureau';

interface Grid {
  code: string;
  streetCode: string;
  lon: number;
  lat: number;
}

type Lang = 'zh' | 'en';

/** The words each step waits for, in the page's language. */
const WORDS = {
  zh: { photoUploaded: '已上传 1 张', verified: '已确认解决', rejected: '已退回重新处置', closed: '已结案，谢谢评价', routed: '已派往' },
  en: {
    photoUploaded: '1 uploaded',
    verified: 'Confirmed fixed',
    rejected: 'Sent back to be fixed again',
    closed: 'Closed. Thank you for rating.',
    routed: 'Sent to',
  },
} as const;

function watchErrors(page: Page): string[] {
  const errors = cspViolations(page);
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  await painted(page);
  await page.screenshot({ path: screenshotPath(name), fullPage });
}

/**
 * The whole loop of issue 10 in two browsers at once: the grid worker's phone on `/m` and the
 * handler's desk on `/cases`. Every step of the loop is a tap or a click; the API only sets up the
 * people and reads the case at the end to check what was stored.
 */
describe('the case loop, from a grid worker’s phone to a handler’s desk and back, in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let phoneContext: BrowserContext;
  let deskContext: BrowserContext;
  let phone: Page;
  let desk: Page;
  let phoneErrors: string[];
  let deskErrors: string[];
  let worker: TestUser;
  let workerToken: string;
  let grid: Grid;
  let dir: string;
  let photoCount = 0;

  const caseOf = async (code: string): Promise<CaseDetail> => {
    const res = await fetch(`${stack.url}/api/cases/${code}`, { headers: { authorization: `Bearer ${workerToken}` } });
    if (res.status !== 200) throw new Error(`GET /api/cases/${code} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as CaseDetail;
  };
  /** A JPEG in the temp folder, as a phone's or a desk's file picker hands it over (each a little different). */
  const photoFile = async (name: string): Promise<string> => {
    const path = join(dir, name);
    const n = photoCount++;
    writeFileSync(path, await samplePhoto('jpeg', { width: 320 + n, height: 240, gps: { lat: grid.lat, lon: grid.lon } }));
    return path;
  };

  // ---- the phone ----

  /** Fills the report form and sends it; answers the code shown, once the case was routed and its photo went up. */
  const reportOnPhone = async (description: string, lang: Lang): Promise<string> => {
    const form = phone.locator('[data-testid="m-report"]');
    await form.waitFor({ timeout: 15_000 });
    await phone.waitForSelector('[data-testid="m-location"][data-status="located"]', { timeout: 15_000 });
    await form.locator('select[name="category"] option[value="street-vending"]').waitFor({ state: 'attached' });
    await form.locator('select[name="category"]').selectOption('street-vending');
    await form.locator('textarea[name="description"]').fill(description);
    await form.locator('[data-testid="m-report-photos-input"]').setInputFiles(await photoFile(`report-${photoCount}.jpg`));
    await form.locator('[data-testid="m-photo"]').first().waitFor();
    await shoot(phone, `case-loop-phone-report-${lang}`, true);
    await phone.click('[data-testid="m-submit"]');
    const code = (await phone.locator('[data-testid="m-filed-code"]').textContent({ timeout: 15_000 })) ?? '';
    expect(code).toMatch(/^GZ-TH-\d{8}-\d{4}$/);
    const route = (await phone.locator('[data-testid="m-filed-route"]').textContent()) ?? '';
    expect(route).toContain(WORDS[lang].routed);
    // The department in the page's language, as the desk names it.
    expect(route).toContain(lang === 'zh' ? TIANHE_URBAN_MANAGEMENT_ZH : TIANHE_URBAN_MANAGEMENT_EN);
    await phone.waitForSelector('[data-testid="m-filed-photos"] [data-testid="m-photo"][data-status="done"]', { timeout: 15_000 });
    await shoot(phone, `case-loop-phone-filed-${lang}`, true);
    return code;
  };

  /** Opens a case from the cases tab (which reads the list again) once it is in `state`. */
  const openOnPhone = async (code: string, state: string): Promise<Locator> => {
    await phone.click('[data-testid="m-tab-cases"]');
    const row = phone.locator(`[data-testid="m-case"][data-code="${code}"][data-state="${state}"]`);
    await row.waitFor({ timeout: 15_000 });
    return row;
  };

  /** The fix's photos have come as thumbnails (fetched with the token into object URLs). */
  const fixPhotosShown = (count: number) =>
    waitUntil(
      phone,
      `const imgs = [...document.querySelectorAll('[data-testid="m-gallery-resolve"] img[data-testid="m-thumb"]')];
       return imgs.length === ${count} && imgs.every((img) => img.complete && img.naturalWidth > 0 && img.src.startsWith('blob:'));`,
      { what: `${count} fix photo(s) as thumbnails` },
    );

  /** Checks the fix on site with a photo and confirms it. */
  const verifyOnPhone = async (code: string, lang: Lang, fixes: number): Promise<void> => {
    await (await openOnPhone(code, 'resolved')).click();
    await phone.locator(`[data-testid="m-case-screen"][data-code="${code}"][data-state="resolved"]`).waitFor({ timeout: 15_000 });
    await fixPhotosShown(fixes);
    await phone.locator('[data-testid="m-check-photos-input"]').setInputFiles(await photoFile(`check-${photoCount}.jpg`));
    await phone.waitForSelector('[data-testid="m-check-photos"] [data-testid="m-photo"][data-status="done"]', { timeout: 15_000 });
    await phone.fill('[data-testid="m-comment"]', lang === 'zh' ? '现场已清理干净' : 'The pavement is clear now');
    await shoot(phone, `case-loop-phone-verify-${lang}`, true);
    await phone.click('[data-testid="m-verify-confirm"]');
    await phone.waitForSelector(`[data-testid="m-case-screen"][data-code="${code}"][data-state="verified"]`, { timeout: 15_000 });
    expect(await phone.locator('[data-testid="m-notice"]').textContent()).toContain(WORDS[lang].verified);
  };

  // ---- the desk ----

  /** The case's panel on the desk, found by its code in the search box, once it is in `state`. */
  const openOnDesk = async (code: string, state: string): Promise<Locator> => {
    await desk.locator('[data-testid="case-search"]').fill(code);
    await desk.locator('[data-testid="case-search"]').press('Enter');
    await desk.waitForURL(new RegExp(`q=${code}`));
    await desk.locator('[data-testid="cases"][data-loading="false"]').waitFor({ timeout: 15_000 });
    const row = desk.locator(`[data-testid="case-row"][data-code="${code}"]`);
    await row.waitFor();
    expect(await desk.locator('[data-testid="case-row"]').count()).toBe(1);
    await row.click();
    const detail = desk.locator(`[data-testid="case-detail"][data-code="${code}"][data-state="${state}"]`);
    await detail.waitFor({ timeout: 15_000 });
    return detail;
  };

  /** Clicks one action's button and sends its form as it is (accept, start); answers the panel in the next state. */
  const actOnDesk = async (code: string, action: string, next: string): Promise<Locator> => {
    const detail = desk.locator(`[data-testid="case-detail"][data-code="${code}"]`);
    await detail.locator(`[data-testid="case-action"][data-action="${action}"]`).click();
    await detail.locator(`[data-testid="case-action-form"][data-action="${action}"] [data-testid="case-action-submit"]`).click();
    const after = desk.locator(`[data-testid="case-detail"][data-code="${code}"][data-state="${next}"]`);
    await after.waitFor({ timeout: 15_000 });
    return after;
  };

  /** Resolves with an after photo chosen in the form; answers the panel once the case is resolved and its photos are shown. */
  const resolveOnDesk = async (code: string, lang: Lang, comment: string): Promise<Locator> => {
    const detail = desk.locator(`[data-testid="case-detail"][data-code="${code}"][data-state="in_progress"]`);
    await detail.locator('[data-testid="case-action"][data-action="resolve"]').click();
    const form = detail.locator('[data-testid="case-action-form"][data-action="resolve"]');
    await form.locator('[data-testid="case-photo-input"]').setInputFiles(await photoFile(`after-${photoCount}.jpg`));
    await form.locator('.form-hint', { hasText: WORDS[lang].photoUploaded }).waitFor({ timeout: 15_000 });
    await form.locator('[name="comment"]').fill(comment);
    await shoot(desk, `case-loop-desk-resolve-form-${lang}`);
    await form.locator('[data-testid="case-action-submit"]').click();
    const resolved = desk.locator(`[data-testid="case-detail"][data-code="${code}"][data-state="resolved"]`);
    await resolved.waitFor({ timeout: 15_000 });
    return resolved;
  };

  beforeAll(async () => {
    requireBuiltWebApp();
    stack = await startStack({ workers: 0 });
    const admin = await login(stack.url);
    grid = (
      await stack.db.query<Grid>(
        `SELECT g.code, s.code AS "streetCode", ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
           FROM area g JOIN area d ON d.code = $1 JOIN area s ON s.id = g.path_ids[3]
          WHERE g.level = 'grid' AND g.path_ids && ARRAY[d.id] ORDER BY g.code LIMIT 1`,
        [TIANHE],
      )
    ).rows[0];
    worker = await createUser(stack.url, admin, { username: 'gw-loop', roles: ['grid_worker'], scopes: [{ area: grid.streetCode }] });
    workerToken = await login(stack.url, worker.username, worker.password);
    const handler = await createUser(stack.url, admin, {
      username: 'th-loop-handler',
      roles: ['handler'],
      department: TIANHE_URBAN_MANAGEMENT,
    });
    dir = mkdtempSync(join(tmpdir(), 'cityops-loop-'));
    browser = await launchBrowser();
    // Two people, two devices, one browser: each context has its own cookies and session.
    phoneContext = await browser.newContext({
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      permissions: ['geolocation'],
      geolocation: { latitude: grid.lat, longitude: grid.lon, accuracy: 12 },
    });
    deskContext = await browser.newContext({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    phone = await phoneContext.newPage();
    desk = await deskContext.newPage();
    phoneErrors = watchErrors(phone);
    deskErrors = watchErrors(desk);
    await Promise.all([
      (async () => {
        await phone.goto(`${stack.url}/m?lang=zh`);
        await signInThroughForm(phone, worker.username, worker.password);
        await phone.waitForSelector('[data-testid="m-report"]', { timeout: 15_000 });
      })(),
      (async () => {
        await desk.goto(`${stack.url}/cases?lang=zh`);
        await signInThroughForm(desk, handler.username, handler.password);
        await desk.locator('[data-testid="cases"][data-loading="false"]').waitFor({ timeout: 15_000 });
      })(),
    ]);
  });
  afterAll(async () => {
    await phoneContext?.close();
    await deskContext?.close();
    await browser?.close();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports on the phone, is fixed at the desk with a photo, is verified on site, then closed with five stars', async () => {
    // 1. The worker reports: routed by the demo rule to Tianhe's urban management bureau.
    const code = await reportOnPhone('天河路人行道上有流动摊贩占道经营，影响行人通行', 'zh');
    expect(await caseOf(code)).toMatchObject({ state: 'dispatched', department: TIANHE_URBAN_MANAGEMENT, gridCode: grid.code });

    // 2. The handler finds it by its code, accepts, starts and resolves it with an after photo.
    const dispatched = await openOnDesk(code, 'dispatched');
    expect(await dispatched.locator('[data-testid="case-department"]').textContent()).toContain(TIANHE_URBAN_MANAGEMENT_ZH);
    expect(await dispatched.locator('[data-testid="case-photo"]').count()).toBe(1);
    await shoot(desk, 'case-loop-desk-dispatched-zh');
    await actOnDesk(code, 'accept', 'accepted');
    await actOnDesk(code, 'start', 'in_progress');
    const resolved = await resolveOnDesk(code, 'zh', '流动摊贩已劝离，人行道恢复通行');
    await resolved.locator('[data-testid="case-photo"][data-loaded="true"]').nth(1).waitFor({ timeout: 15_000 });
    await shoot(desk, 'case-loop-desk-resolved-zh');

    // 3. On the phone it waits for the check first; the worker sees the fix, checks it with a photo, confirms, closes.
    const row = await openOnPhone(code, 'resolved');
    expect(await phone.locator('[data-testid="m-case"]').first().getAttribute('data-code')).toBe(code);
    expect(await row.getAttribute('class')).toContain('m-case--check');
    await shoot(phone, 'case-loop-phone-cases-zh', true);
    await verifyOnPhone(code, 'zh', 1);
    await phone.click('[data-testid="m-star-5"]');
    await phone.click('[data-testid="m-close-confirm"]');
    await phone.waitForSelector(`[data-testid="m-case-screen"][data-code="${code}"][data-state="closed"]`, { timeout: 15_000 });
    expect(await phone.locator('[data-testid="m-notice"]').textContent()).toContain(WORDS.zh.closed);
    await shoot(phone, 'case-loop-phone-closed-zh', true);

    const closed = await caseOf(code);
    expect(closed).toMatchObject({ state: 'closed', rating: 5, department: TIANHE_URBAN_MANAGEMENT });
    expect(closed.timeline.map((e) => e.action)).toEqual(['filed', 'dispatch', 'accept', 'start', 'resolve', 'verify', 'close']);
    expect(closed.timeline.find((e) => e.action === 'accept')?.actor).toBe('th-loop-handler');
    expect(closed.timeline.find((e) => e.action === 'verify')?.actor).toBe('gw-loop');
    expect(closed.photos.map((p) => p.stage).sort()).toEqual(['report', 'resolve', 'verify']);

    // The desk, reopening the case, sees it closed with its rating.
    await desk.click('[data-testid="case-detail-close"]');
    await desk.locator('[data-testid="case-detail"]').waitFor({ state: 'detached' });
    await desk.click('[data-testid="cases-refresh"]');
    await desk.locator('[data-testid="cases"][data-loading="false"]').waitFor({ timeout: 15_000 });
    await desk.locator(`[data-testid="case-row"][data-code="${code}"]`).click();
    const done = desk.locator(`[data-testid="case-detail"][data-code="${code}"][data-state="closed"]`);
    await done.waitFor({ timeout: 15_000 });
    expect(await done.locator('[data-testid="case-event"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-action')))).toEqual([
      'filed',
      'dispatch',
      'accept',
      'start',
      'resolve',
      'verify',
      'close',
    ]);
    // The panel scrolls by itself: its timeline's end in sight for the picture.
    await done.locator('[data-testid="case-event"]').last().scrollIntoViewIfNeeded();
    await shoot(desk, 'case-loop-desk-closed-zh');

    expect(phoneErrors).toEqual([]);
    expect(deskErrors).toEqual([]);
  });

  it('sends a fix back from the phone with a reason, in English; the desk sees it in progress with the reason, fixes it again, and it is verified', async () => {
    // Both people switch to English: the loop does not depend on the language.
    await phone.click('[data-testid="m-tab-report"]');
    await phone.click('[data-testid="m-report-another"]');
    await phone.click('[data-testid="lang-switch"]');
    await phone.waitForSelector('html[lang="en"]');
    await desk.click('[data-testid="lang-switch"]');
    await desk.waitForSelector('html[lang="en"]');

    const code = await reportOnPhone('A vendor with a cart blocks the pavement at the metro exit', 'en');
    const dispatched = await openOnDesk(code, 'dispatched');
    expect(await dispatched.locator('[data-testid="case-department"]').textContent()).toContain(TIANHE_URBAN_MANAGEMENT_EN);
    await actOnDesk(code, 'accept', 'accepted');
    await actOnDesk(code, 'start', 'in_progress');
    await resolveOnDesk(code, 'en', 'Cart moved away');

    // The worker finds the cart back and sends the fix back with the reason.
    await (await openOnPhone(code, 'resolved')).click();
    await fixPhotosShown(1);
    await phone.locator('.m-case-head', { hasText: `Sent to ${TIANHE_URBAN_MANAGEMENT_EN}` }).waitFor();
    await phone.click('[data-testid="m-reject"]');
    const reason = 'The cart is back at the metro exit';
    await phone.fill('[data-testid="m-reason"]', reason);
    await shoot(phone, 'case-loop-phone-reject-en', true);
    await phone.click('[data-testid="m-reject-confirm"]');
    await phone.waitForSelector(`[data-testid="m-case-screen"][data-code="${code}"][data-state="in_progress"]`, { timeout: 15_000 });
    expect(await phone.locator('[data-testid="m-notice"]').textContent()).toContain(WORDS.en.rejected);

    // The desk still shows it resolved until it reads the case again: reopening the case shows it in progress, and why.
    await desk.locator(`[data-testid="case-detail"][data-code="${code}"][data-state="resolved"]`).waitFor();
    await desk.click('[data-testid="case-detail-close"]');
    await desk.locator('[data-testid="case-detail"]').waitFor({ state: 'detached' });
    await desk.click('[data-testid="cases-refresh"]');
    await desk.locator(`[data-testid="case-row"][data-code="${code}"][data-state="in_progress"]`).click({ timeout: 15_000 });
    const reopened = desk.locator(`[data-testid="case-detail"][data-code="${code}"][data-state="in_progress"]`);
    await reopened.waitFor({ timeout: 15_000 });
    const rejection = reopened.locator('[data-testid="case-event"]').last();
    expect(await rejection.getAttribute('data-action')).toBe('reject');
    expect(await rejection.textContent()).toContain(reason);
    expect(await rejection.textContent()).toContain('gw-loop');
    await rejection.scrollIntoViewIfNeeded();
    await shoot(desk, 'case-loop-desk-rejected-en');

    // Fixed again; the worker sees both fixes and confirms this one.
    await resolveOnDesk(code, 'en', 'Cart removed and the vendor warned');
    await verifyOnPhone(code, 'en', 2);
    await shoot(phone, 'case-loop-phone-verified-en', true);

    const verified = await caseOf(code);
    expect(verified).toMatchObject({ state: 'verified', department: TIANHE_URBAN_MANAGEMENT });
    expect(verified.timeline.map((e) => e.action)).toEqual([
      'filed',
      'dispatch',
      'accept',
      'start',
      'resolve',
      'reject',
      'resolve',
      'verify',
    ]);
    expect(verified.timeline.find((e) => e.action === 'reject')).toMatchObject({
      actor: 'gw-loop',
      comment: reason,
      toState: 'in_progress',
    });
    expect(verified.photos.filter((p) => p.stage === 'resolve')).toHaveLength(2);

    expect(phoneErrors).toEqual([]);
    expect(deskErrors).toEqual([]);
  });
});
