import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CaseDetail, CasePhotoView } from '@cityops/contracts';
import { executableHead, samplePhoto } from '../support/photo-samples';
import { createUser, login, startStack, type TestStack, type TestUser } from '../support/stack';
import { cspViolations, launchBrowser, signInThroughForm, waitUntil, requireBuiltWebApp } from './browser';
import { looksRight, PHONE } from './phone';

jest.setTimeout(240_000);

const TIANHE = '440106';

interface Grid {
  code: string;
  streetCode: string;
  lon: number;
  lat: number;
}

describe('the grid worker’s phone page in headless Chromium at 375 × 667', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let worker: TestUser;
  let workerToken: string;
  let handlerToken: string;
  let grid: Grid;
  let dir: string;
  let photoCount = 0;

  const call = async <T>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const act = async (token: string, code: string, body: Record<string, unknown>): Promise<CaseDetail> => {
    const answer = await call<CaseDetail>(token, 'POST', `/api/cases/${code}/actions`, body);
    if (answer.status !== 200) throw new Error(`${String(body.action)} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  /** The handler's phone: accept, start, and resolve with an after photo. */
  const handlerFixes = async (code: string): Promise<void> => {
    await act(handlerToken, code, { action: 'accept', expectedState: 'dispatched' });
    await act(handlerToken, code, { action: 'start' });
    const res = await fetch(`${stack.url}/api/cases/${code}/photos?stage=resolve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${handlerToken}`, 'content-type': 'image/jpeg' },
      body: new Uint8Array(await samplePhoto('jpeg', { width: 160 + photoCount++, height: 120 })),
    });
    expect(res.status).toBe(201);
    const photo = (await res.json()) as CasePhotoView;
    await act(handlerToken, code, { action: 'resolve', photoIds: [photo.id], comment: 'stall cleared' });
  };
  const fileByApi = async (description: string): Promise<string> => {
    const filed = await call<CaseDetail>(workerToken, 'POST', '/api/cases', {
      category: 'illegal-advertising',
      description,
      location: [grid.lon, grid.lat],
    });
    expect(filed.status).toBe(201);
    return filed.body.code;
  };
  const caseOf = async (code: string) => (await call<CaseDetail>(workerToken, 'GET', `/api/cases/${code}`)).body;
  /** Opens one case from the list of the cases tab (reloaded by the tab). */
  const openFromList = async (code: string): Promise<void> => {
    await page.click('[data-testid="m-tab-cases"]');
    const row = page.locator(`[data-testid="m-case"][data-code="${code}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await page.locator(`[data-testid="m-case-screen"][data-code="${code}"] [data-testid="m-case-code"]`).waitFor({ timeout: 15_000 });
  };
  const fixThumbnailsShown = (count: number) =>
    waitUntil(
      page,
      `const imgs = [...document.querySelectorAll('[data-testid="m-gallery-resolve"] img[data-testid="m-thumb"]')];
       return imgs.length === ${count} && imgs.every((img) => img.complete && img.naturalWidth > 0 && img.src.startsWith('blob:'));`,
      { what: 'the fix photos as blob thumbnails' },
    );

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
    worker = await createUser(stack.url, admin, { username: 'gw-phone', roles: ['grid_worker'], scopes: [{ area: grid.streetCode }] });
    workerToken = await login(stack.url, worker.username, worker.password);
    const handler = await createUser(stack.url, admin, {
      username: 'th-phone-handler',
      roles: ['handler'],
      department: 'th-urban-management',
    });
    handlerToken = await login(stack.url, handler.username, handler.password);
    dir = mkdtempSync(join(tmpdir(), 'cityops-phone-'));
    browser = await launchBrowser();
    context = await browser.newContext({
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      permissions: ['geolocation'],
      geolocation: { latitude: grid.lat, longitude: grid.lon, accuracy: 12 },
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

  it('reports with GPS and a photo, shows the code and where it was routed, and says which photo the server refused', async () => {
    await page.goto(`${stack.url}/m?lang=zh`);
    await signInThroughForm(page, worker.username, worker.password);
    await page.waitForSelector('[data-testid="m-report"]', { timeout: 15_000 });
    await page.waitForSelector('[data-testid="m-location"][data-status="located"]', { timeout: 15_000 });
    expect(await page.locator('[data-testid="m-location"]').textContent()).toContain('精度约 12\u00a0米');

    // Nothing filled in: each missing piece is named, nothing is sent.
    await page.click('[data-testid="m-submit"]');
    await page.waitForSelector('[data-testid="m-category-error"]');
    expect(await page.locator('[data-testid="m-description-error"]').textContent()).toContain('请填写问题描述');
    expect((await call<{ items: unknown[] }>(workerToken, 'GET', '/api/cases')).body.items).toEqual([]);

    const form = page.locator('[data-testid="m-report"]');
    await form.locator('select[name="category"] option[value="street-vending"]').waitFor({ state: 'attached' });
    await form.locator('select[name="category"]').selectOption('street-vending');
    await form.locator('textarea[name="description"]').fill('天河路人行道上有流动摊贩占道经营，影响行人通行');
    await form.locator('input[name="address"]').fill('天河路 385 号东门');
    const photo = join(dir, 'stall.jpg');
    writeFileSync(photo, await samplePhoto('jpeg', { width: 320, height: 240, gps: { lat: grid.lat, lon: grid.lon } }));
    // A program named like a photo: the phone cannot tell, the server refuses it by its bytes (415).
    const fake = join(dir, 'not-a-photo.jpg');
    writeFileSync(fake, executableHead());
    await form.locator('[data-testid="m-report-photos-input"]').setInputFiles([photo, fake]);
    await form.locator('[data-testid="m-photo"]').nth(1).waitFor();
    // The draft outlives a reload, with its clientRequestId.
    const stored = await page.evaluate<string | null>(`localStorage.getItem('cityops.m.draft.gw-phone')`);
    expect(JSON.parse(stored ?? '{}')).toMatchObject({
      category: 'street-vending',
      clientRequestId: expect.stringMatching(/^m-/) as string,
    });
    await looksRight(page, 'grid-worker-375-report-zh', { root: '.m-page' });

    await page.click('[data-testid="m-submit"]');
    const code = (await page.locator('[data-testid="m-filed-code"]').textContent({ timeout: 15_000 })) ?? '';
    expect(code).toMatch(/^GZ-TH-\d{8}-\d{4}$/);
    expect(await page.locator('[data-testid="m-filed-route"]').textContent()).toContain('已派往');
    // The good photo goes up; the fake one is refused with the page's words for a 415.
    await page.waitForSelector('[data-testid="m-filed-photos"] [data-testid="m-photo"][data-status="done"]', { timeout: 15_000 });
    const refused = page.locator('[data-testid="m-filed-photos"] [data-testid="m-photo"][data-status="failed"]');
    await refused.waitFor({ timeout: 15_000 });
    expect(await refused.locator('[data-testid="m-photo-problem"]').textContent()).toContain('只能上传 JPEG、PNG 或 WebP 照片');
    await looksRight(page, 'grid-worker-375-filed-zh', { root: '.m-page' });

    const filed = await caseOf(code);
    expect(filed).toMatchObject({ state: 'dispatched', department: 'th-urban-management', source: 'grid_worker', gridCode: grid.code });
    expect(filed.address).toBe('天河路 385 号东门');
    expect(filed.photos.map((p) => p.stage)).toEqual(['report']);
    expect(await page.evaluate<string | null>(`localStorage.getItem('cityops.m.draft.gw-phone')`)).toBeNull();

    // The handler fixes it; the worker checks it on site with a photo and confirms; then, as its reporter, closes it.
    await handlerFixes(code);
    await page.click('[data-testid="m-tab-cases"]');
    const first = page.locator('[data-testid="m-case"]').first();
    await page.locator(`[data-testid="m-case"][data-code="${code}"][data-state="resolved"]`).waitFor({ timeout: 15_000 });
    expect(await first.getAttribute('data-code')).toBe(code);
    expect(await first.getAttribute('class')).toContain('m-case--check');
    await looksRight(page, 'grid-worker-375-cases-zh', { root: '.m-page' });

    await first.click();
    await fixThumbnailsShown(1);
    // A tap shows the fix full size (also fetched with the token), another closes it.
    await page.click('[data-testid="m-gallery-resolve"] .m-thumb-button');
    await waitUntil(
      page,
      `const img = document.querySelector('[data-testid="m-full-photo"] img');
       return Boolean(img) && img.complete && img.naturalWidth > 0 && img.src.startsWith('blob:');`,
      { what: 'the full-size fix photo' },
    );
    await looksRight(page, 'grid-worker-375-fix-photo-zh', { root: '.m-page', fullPage: false });
    await page.click('[data-testid="m-full-close"]');
    await page.locator('[data-testid="m-full-photo"]').waitFor({ state: 'detached' });
    const check = join(dir, 'check.jpg');
    writeFileSync(check, await samplePhoto('jpeg', { width: 300, height: 200 }));
    await page.locator('[data-testid="m-check-photos-input"]').setInputFiles(check);
    await page.waitForSelector('[data-testid="m-check-photos"] [data-testid="m-photo"][data-status="done"]', { timeout: 15_000 });
    await page.fill('[data-testid="m-comment"]', '现场已清理干净');
    await looksRight(page, 'grid-worker-375-verify-zh', { root: '.m-page' });
    await page.click('[data-testid="m-verify-confirm"]');
    await page.waitForSelector('[data-testid="m-case-screen"][data-state="verified"]', { timeout: 15_000 });
    expect(await page.locator('[data-testid="m-notice"]').textContent()).toContain('已确认解决');

    await page.click('[data-testid="m-star-4"]');
    await looksRight(page, 'grid-worker-375-close-zh', { root: '.m-page' });
    await page.click('[data-testid="m-close-confirm"]');
    await page.waitForSelector('[data-testid="m-case-screen"][data-state="closed"]', { timeout: 15_000 });

    const closed = await caseOf(code);
    expect(closed).toMatchObject({ state: 'closed', rating: 4 });
    const verify = closed.timeline.find((e) => e.action === 'verify');
    expect(verify?.actor).toBe('gw-phone');
    expect(verify?.comment).toMatch(/^现场已清理干净\n附现场核查照片 1 张（[0-9a-f]{8}）$/);
    expect(closed.photos.filter((p) => p.stage === 'verify')).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('sends a fix that does not hold back with a required reason, in English, and the case is in progress again', async () => {
    const code = await fileByApi('Posters glued on the lamp posts again');
    await handlerFixes(code);
    await page.click('[data-testid="lang-switch"]');
    await page.waitForSelector('html[lang="en"]');
    await openFromList(code);
    await fixThumbnailsShown(1);

    await page.click('[data-testid="m-reject"]');
    await page.click('[data-testid="m-reject-confirm"]');
    expect(await page.locator('[data-testid="m-action-problem"]').textContent()).toContain('Say why it is not fixed');
    expect((await caseOf(code)).state).toBe('resolved');
    await page.fill('[data-testid="m-reason"]', 'Half of the posters are still there');
    await looksRight(page, 'grid-worker-375-reject-en', { root: '.m-page' });
    await page.click('[data-testid="m-reject-confirm"]');
    await page.waitForSelector('[data-testid="m-case-screen"][data-state="in_progress"]', { timeout: 15_000 });
    expect(await page.locator('[data-testid="m-notice"]').textContent()).toContain('Sent back to be fixed again');

    const reopened = await caseOf(code);
    expect(reopened.state).toBe('in_progress');
    expect(reopened.timeline.at(-1)).toMatchObject({ action: 'reject', actor: 'gw-phone', comment: 'Half of the posters are still there' });

    await page.click('[data-testid="m-back"]');
    await page.locator(`[data-testid="m-case"][data-code="${code}"][data-state="in_progress"]`).waitFor({ timeout: 15_000 });
    await looksRight(page, 'grid-worker-375-cases-en', { root: '.m-page' });
    // The report tab still shows the case filed before; the next one starts a fresh draft with a new id.
    const before = await page.evaluate<string | null>(`localStorage.getItem('cityops.m.draft.gw-phone')`);
    await page.click('[data-testid="m-tab-report"]');
    await page.click('[data-testid="m-report-another"]');
    await page.waitForSelector('[data-testid="m-report"]');
    const after = JSON.parse((await page.evaluate<string | null>(`localStorage.getItem('cityops.m.draft.gw-phone')`)) ?? '{}') as {
      clientRequestId?: string;
    };
    expect(after.clientRequestId).toMatch(/^m-/);
    expect(before).toBeNull();
    await page.waitForSelector('[data-testid="m-location"][data-status="located"]', { timeout: 15_000 });
    await looksRight(page, 'grid-worker-375-report-en', { root: '.m-page' });
    expect(errors).toEqual([]);
  });

  it('says clearly when someone else acted on the case first, and shows it as it is now after a reload', async () => {
    const code = await fileByApi('Leaflets on the bus stop');
    await handlerFixes(code);
    await openFromList(code);
    await page.waitForSelector('[data-testid="m-verify-confirm"]');
    // Meanwhile the same case is confirmed from another phone.
    await act(workerToken, code, { action: 'verify', comment: 'checked from the other phone' });
    await page.click('[data-testid="m-verify-confirm"]');
    const problem = page.locator('[data-testid="m-action-problem"][data-status="409"]');
    await problem.waitFor({ timeout: 15_000 });
    expect(await problem.textContent()).toContain('Someone else acted on this case first');
    await looksRight(page, 'grid-worker-375-conflict-en', { root: '.m-page' });
    await page.click('[data-testid="m-reload-case"]');
    await page.waitForSelector(`[data-testid="m-case-screen"][data-code="${code}"][data-state="verified"]`, { timeout: 15_000 });
    expect((await caseOf(code)).timeline.filter((e) => e.action === 'verify')).toHaveLength(1);

    // The home page leads a grid worker here.
    await page.goto(`${stack.url}/`);
    await page.click('[data-testid="home-grid-worker-link"]');
    await page.waitForSelector('[data-testid="m-page"]', { timeout: 15_000 });
    expect(errors).toEqual([]);
  });

  it('files once when the answer to the first attempt is lost on a bad connection and the worker sends again', async () => {
    await page.goto(`${stack.url}/m?lang=en`);
    const form = page.locator('[data-testid="m-report"]');
    await form.waitFor({ timeout: 15_000 });
    await page.waitForSelector('[data-testid="m-location"][data-status="located"]', { timeout: 15_000 });
    await form.locator('select[name="category"] option[value="garbage-pile"]').waitFor({ state: 'attached' });
    await form.locator('select[name="category"]').selectOption('garbage-pile');
    await form.locator('textarea[name="description"]').fill('Garbage bags piled at the bus stop');
    // The first attempt reaches the server, which files the case; its answer never comes back.
    let attempts = 0;
    await page.route('**/api/cases', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      attempts++;
      if (attempts === 1) {
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    try {
      await page.click('[data-testid="m-submit"]');
      await page.waitForSelector('[data-testid="m-submit-problem"]', { timeout: 15_000 });
      expect(await page.locator('[data-testid="m-submit"]').textContent()).toBe('Send again (files it once)');
      expect(await page.locator('[data-testid="m-submit-problem"]').textContent()).toContain('The draft is kept on this phone');
      await looksRight(page, 'grid-worker-375-lost-answer-en', { root: '.m-page' });
      await page.click('[data-testid="m-submit"]');
      const code = (await page.locator('[data-testid="m-filed-code"]').textContent({ timeout: 15_000 })) ?? '';
      expect(attempts).toBe(2);
      const piles = (await call<{ items: CaseDetail[] }>(workerToken, 'GET', '/api/cases?category=garbage-pile')).body.items;
      expect(piles.map((c) => c.code)).toEqual([code]);
    } finally {
      await page.unroute('**/api/cases');
    }
  });

  it('offers the open cases of the category near the phone while reporting, and opens one instead of filing', async () => {
    // About 30 m north of the phone: a fallen tree already reported, and a streetlight at the same spot (another category).
    const fileNear = async (category: string, description: string) => {
      const filed = await call<CaseDetail>(workerToken, 'POST', '/api/cases', {
        category,
        description,
        location: [grid.lon, grid.lat + 0.00027],
      });
      expect(filed.status).toBe(201);
      return filed.body.code;
    };
    const tree = await fileNear('fallen-tree', '自行车道上有一棵树倒下，挡住通行');
    await fileNear('streetlight', '路灯不亮');

    await page.goto(`${stack.url}/m?lang=zh`);
    const form = page.locator('[data-testid="m-report"]');
    await form.waitFor({ timeout: 15_000 });
    await page.waitForSelector('[data-testid="m-location"][data-status="located"]', { timeout: 15_000 });
    await form.locator('select[name="category"] option[value="fallen-tree"]').waitFor({ state: 'attached' });
    await form.locator('select[name="category"]').selectOption('fallen-tree');
    await form.locator('textarea[name="description"]').fill('树倒在自行车道上');
    const hint = page.locator('[data-testid="m-duplicate"]');
    await hint.first().waitFor({ timeout: 15_000 });
    expect(await hint.count()).toBe(1);
    expect([await hint.getAttribute('data-code'), await hint.getAttribute('data-state')]).toEqual([tree, (await caseOf(tree)).state]);
    expect(await page.locator('[data-testid="m-duplicates"]').textContent()).toContain('附近已有 1 件同类案件未办结');
    const metres = Number(/约 (\d+)\u00a0米/.exec((await hint.locator('[data-testid="m-duplicate-distance"]').textContent()) ?? '')?.[1]);
    expect(metres).toBeGreaterThanOrEqual(25);
    expect(metres).toBeLessThanOrEqual(35);
    await looksRight(page, 'grid-worker-375-duplicates-zh', { root: '.m-page' });

    // Another category: nothing near to offer.
    await form.locator('select[name="category"]').selectOption('road-damage');
    await page.locator('[data-testid="m-duplicates"]').waitFor({ state: 'detached', timeout: 15_000 });
    await form.locator('select[name="category"]').selectOption('fallen-tree');
    await hint.first().waitFor({ timeout: 15_000 });
    await page.click('[data-testid="lang-switch"]');
    await page.waitForSelector('html[lang="en"]');
    expect(await page.locator('[data-testid="m-duplicates"]').textContent()).toContain('Open cases of this kind nearby: 1');
    await looksRight(page, 'grid-worker-375-duplicates-en', { root: '.m-page' });

    // Opened instead of filed: the case's screen; the draft waits on the report tab, and nothing new was filed.
    await hint.click();
    await page.locator(`[data-testid="m-case-screen"][data-code="${tree}"]`).waitFor({ timeout: 15_000 });
    await page.click('[data-testid="m-tab-report"]');
    expect(await form.locator('textarea[name="description"]').inputValue()).toBe('树倒在自行车道上');
    const trees = (await call<{ items: CaseDetail[] }>(workerToken, 'GET', '/api/cases?category=fallen-tree')).body.items;
    expect(trees.map((c) => c.code)).toEqual([tree]);
    expect(errors).toEqual([]);
  });

  it('tells the worker when the phone may not say where it is, and lets them try again', async () => {
    await context.clearPermissions();
    const denied = await context.newPage();
    try {
      await denied.goto(`${stack.url}/m?lang=zh`);
      // A new tab renews the session with the refresh cookie; should that be gone, the form asks.
      await denied.waitForSelector('[data-testid="m-location"], [data-testid="sign-in-form"]', { timeout: 15_000 });
      if (await denied.locator('[data-testid="sign-in-form"]').count()) await signInThroughForm(denied, worker.username, worker.password);
      await denied.waitForSelector('[data-testid="m-location"][data-status="failed"]', { timeout: 15_000 });
      expect(await denied.locator('[data-testid="m-location"]').textContent()).toContain('定位权限被拒绝');
      await context.grantPermissions(['geolocation']);
      await denied.click('[data-testid="m-locate"]');
      await denied.waitForSelector('[data-testid="m-location"][data-status="located"]', { timeout: 15_000 });
    } finally {
      await denied.close();
    }
  });
});
