import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CaseDetail, CasePhotoView } from '@cityops/contracts';
import { samplePhoto } from '../support/photo-samples';
import { createUser, login, startStack, type TestStack } from '../support/stack';
import { cspViolations, launchBrowser, waitUntil, requireBuiltWebApp } from './browser';
import { looksRight, PHONE } from './phone';

jest.setTimeout(240_000);

const TIANHE = '440106';

interface Grid {
  code: string;
  name: string;
  streetCode: string;
  lon: number;
  lat: number;
}

describe('the citizen’s report page from a grid’s QR code, in headless Chromium at 375 × 667', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let handlerToken: string;
  let workerToken: string;
  let grid: Grid;
  let dir: string;

  const act = async (token: string, code: string, body: Record<string, unknown>): Promise<CaseDetail> => {
    const res = await fetch(`${stack.url}/api/cases/${code}/actions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as CaseDetail;
    if (res.status !== 200) throw new Error(`${String(body.action)} answered ${res.status}: ${JSON.stringify(answer)}`);
    return answer;
  };
  const statusShown = (status: string) => page.waitForSelector(`[data-testid="c-status"][data-status="${status}"]`, { timeout: 15_000 });

  beforeAll(async () => {
    requireBuiltWebApp();
    stack = await startStack({ workers: 0 });
    const admin = await login(stack.url);
    grid = (
      await stack.db.query<Grid>(
        `SELECT g.code, g.name, s.code AS "streetCode", ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
           FROM area g JOIN area d ON d.code = $1 JOIN area s ON s.id = g.path_ids[3]
          WHERE g.level = 'grid' AND g.path_ids && ARRAY[d.id] ORDER BY g.code LIMIT 1`,
        [TIANHE],
      )
    ).rows[0];
    const handler = await createUser(stack.url, admin, { username: 'qr-handler', roles: ['handler'], department: 'th-urban-management' });
    handlerToken = await login(stack.url, handler.username, handler.password);
    const worker = await createUser(stack.url, admin, {
      username: 'qr-gridworker',
      roles: ['grid_worker'],
      scopes: [{ area: grid.streetCode }],
    });
    workerToken = await login(stack.url, worker.username, worker.password);
    dir = mkdtempSync(join(tmpdir(), 'cityops-citizen-'));
    browser = await launchBrowser();
    context = await browser.newContext({
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      permissions: ['geolocation'],
      geolocation: { latitude: grid.lat, longitude: grid.lon, accuracy: 15 },
    });
    page = await context.newPage();
    errors = cspViolations(page);
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('files a report with a photo without an account, follows it through the loop, and rates it', async () => {
    await page.goto(`${stack.url}/report?grid=${grid.code}&lang=zh`);
    await page.waitForSelector('[data-testid="c-report"]', { timeout: 15_000 });
    expect(await page.locator('[data-testid="c-grid"]').textContent()).toContain(grid.name);
    await page.waitForSelector('[data-testid="m-location"][data-status="located"]', { timeout: 15_000 });

    // Nothing filled in: the missing fields are named, nothing is sent.
    await page.click('[data-testid="c-submit"]');
    await page.waitForSelector('[data-testid="c-category-error"]');

    const form = page.locator('[data-testid="c-report"]');
    // An enterprise category asks for the enterprise and states the promise.
    await form.locator('select[name="category"]').selectOption('permit-help');
    expect(await page.locator('[data-testid="c-promise"]').textContent()).toContain('24 小时');
    await looksRight(page, 'citizen-375-enterprise-zh', { root: '.c-page', extraTargets: ['a.m-primary'] });

    await form.locator('select[name="category"]').selectOption('street-vending');
    expect(await page.locator('[data-testid="c-enterprise"]').count()).toBe(0);
    await form.locator('textarea[name="description"]').fill('公交站旁有流动摊贩占用人行道');
    await form.locator('input[name="name"]').fill('陈女士');
    await form.locator('input[name="contact"]').fill('13800138000');
    const photo = join(dir, 'stall.jpg');
    writeFileSync(photo, await samplePhoto('jpeg', { width: 320, height: 240 }));
    await form.locator('[data-testid="c-photos-input"]').setInputFiles([photo]);
    await form.locator('[data-testid="m-photo"]').waitFor();
    await looksRight(page, 'citizen-375-report-zh', { root: '.c-page', extraTargets: ['a.m-primary'] });

    await page.click('[data-testid="c-submit"]');
    const code = (await page.locator('[data-testid="c-filed-code"]').textContent({ timeout: 15_000 })) ?? '';
    expect(code).toMatch(/^GZ-TH-\d{8}-\d{4}$/);
    await page.waitForSelector('[data-testid="c-filed-photos"] [data-testid="m-photo"][data-status="done"]', { timeout: 15_000 });
    await looksRight(page, 'citizen-375-filed-zh', { root: '.c-page', extraTargets: ['a.m-primary'] });

    await page.click('[data-testid="c-follow"]');
    await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
    await statusShown('dispatched');
    await waitUntil(
      page,
      `const imgs = [...document.querySelectorAll('[data-testid="c-my-photos"] img')];
       return imgs.length === 1 && imgs.every((img) => img.complete && img.naturalWidth > 0);`,
      { what: 'the reporter’s photo' },
    );
    expect(await page.locator('[data-testid="c-event"]').count()).toBe(2);
    await looksRight(page, 'citizen-375-follow-dispatched-zh', { root: '.c-page', extraTargets: ['a.m-primary'] });

    // Staff act through the API: the page shows each step after a refresh.
    await act(handlerToken, code, { action: 'accept' });
    await act(handlerToken, code, { action: 'start' });
    const fix = await fetch(`${stack.url}/api/cases/${code}/photos?stage=resolve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${handlerToken}`, 'content-type': 'image/jpeg' },
      body: new Uint8Array(await samplePhoto('jpeg', { width: 200, height: 150 })),
    });
    const fixPhoto = (await fix.json()) as CasePhotoView;
    await act(handlerToken, code, { action: 'resolve', photoIds: [fixPhoto.id], comment: '摊贩已劝离' });
    await page.click('[data-testid="c-refresh"]');
    await statusShown('resolved');
    expect(await page.locator('[data-testid="c-timeline"]').textContent()).toContain('摊贩已劝离');
    expect(await page.locator('[data-testid="c-timeline"]').textContent()).not.toContain('qr-handler');
    await page.waitForSelector('[data-testid="c-fix-photos"] img');

    await act(workerToken, code, { action: 'verify' });
    await page.click('[data-testid="c-refresh"]');
    await statusShown('verified');
    await page.waitForSelector('[data-testid="c-rate"]');
    await looksRight(page, 'citizen-375-follow-verified-zh', { root: '.c-page', extraTargets: ['a.m-primary'] });

    await page.click('[data-testid="c-rate-submit"]');
    expect(await page.locator('[data-testid="c-rate"]').textContent()).toContain('请先选择评分');
    await page.click('[data-testid="c-star-5"]');
    await page.click('[data-testid="c-rate-submit"]');
    await statusShown('closed');
    expect(await page.locator('[data-testid="c-rated"]').textContent()).toContain('5');
    await looksRight(page, 'citizen-375-follow-closed-zh', { root: '.c-page', extraTargets: ['a.m-primary'] });

    // The same page in English.
    await page.click('[data-testid="lang-switch"]');
    await page.waitForSelector('text=Closed');
    await looksRight(page, 'citizen-375-follow-closed-en', { root: '.c-page', extraTargets: ['a.m-primary'] });
    expect(errors).toEqual([]);
  });

  it('says when the QR code names no grid, and shows the enterprise form and its promise in English', async () => {
    await page.goto(`${stack.url}/report?grid=440106999999999&lang=en`);
    expect(await page.locator('[data-testid="c-notice"]').textContent({ timeout: 15_000 })).toContain('not found');
    await page.goto(`${stack.url}/report?grid=${grid.code}&lang=en`);
    await page.waitForSelector('[data-testid="c-report"]', { timeout: 15_000 });
    await page.locator('select[name="category"]').selectOption('permit-help');
    expect(await page.locator('[data-testid="c-promise"]').textContent()).toContain('24 hours');
    await page.locator('input[name="creditCode"]').fill('91440101MA5CXXXXX0');
    await page.locator('textarea[name="description"]').fill('Our permit renewal has stalled');
    await page.click('[data-testid="c-submit"]');
    await page.waitForSelector('[data-testid="c-creditCode-error"]');
    await looksRight(page, 'citizen-375-enterprise-en', { root: '.c-page', extraTargets: ['a.m-primary'] });
    await page.goto(`${stack.url}/r/${'A'.repeat(24)}?lang=en`);
    expect(await page.locator('[data-testid="c-notice"]').textContent({ timeout: 15_000 })).toContain('No report');
    expect(errors).toEqual([]);
  });
});
