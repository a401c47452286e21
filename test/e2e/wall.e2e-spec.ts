import type { Browser, Page } from 'playwright-core';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { eventually } from '../support/eventually';
import { postHeadcounts, segments, type Segment } from '../support/marathon';
import { createUser, kioskToken, login, startStack, type TestStack } from '../support/stack';
import { cspViolations, launchBrowser, mapFitsItsFrame, waitUntil, screenshotPath, WALL_VIEWPORTS, requireBuiltWebApp } from './browser';

/**
 * A deadline, not a speed: WebGL runs on the CPU here (SwiftShader), and a 3840×2160 frame on a
 * machine shared with other test runs can take many seconds.
 */
const WALL_TEST_MS = 180_000;
jest.setTimeout(WALL_TEST_MS);

/** What `overflowing` reads of an element in the page (the tests compile without the DOM types). */
interface MeasuredElement {
  className: string;
  scrollWidth: number;
  clientWidth: number;
  scrollHeight: number;
  clientHeight: number;
  textContent: string | null;
  getBoundingClientRect(): { right: number; bottom: number };
}

/**
 * Text that does not fit (the wall clips, it never scrolls): single-line titles, labels and notes
 * wider than their box, the scene notice taller than its own, anything past the screen's edge.
 */
async function overflowing(page: Page): Promise<string[]> {
  const { width, height } = page.viewportSize() ?? { width: 0, height: 0 };
  const selector =
    '.wall-header, .wall-title, .wall-event, .kpi-label, .kpi-note, .kpi-value, .panel-header, .scene-notice, .alert-list, .vitals-list, .alerts-recent, .critical-banner';
  return page.locator(selector).evaluateAll(
    (elements: MeasuredElement[], screen: { width: number; height: number }) =>
      elements
        .filter((el) => {
          const box = el.getBoundingClientRect();
          const tooWide = el.scrollWidth > el.clientWidth + 1;
          // Boxes that clip their content: rows cut off at the bottom would not be seen.
          const clips = /scene-notice|alert-list|vitals-list/.test(el.className);
          const tooTall = clips && el.scrollHeight > el.clientHeight + 1;
          return tooWide || tooTall || box.right > screen.width + 1 || box.bottom > screen.height + 1;
        })
        .map((el) => {
          const box = el.getBoundingClientRect();
          const size = `right ${Math.round(box.right)}/${screen.width}, bottom ${Math.round(box.bottom)}/${screen.height}, scroll ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`;
          return `${el.className}: ${(el.textContent ?? '').trim().slice(0, 60)} (${size})`;
        }),
    { width, height },
  );
}

/** The wall fits once its layout has settled after a load or a resize (polled, with a deadline). */
async function expectFits(page: Page): Promise<void> {
  let last: string[] = [];
  const fits = await eventually(async () => (last = await overflowing(page)).length === 0, 10_000, 'the wall to fit').catch(() => false);
  if (!fits) expect(last).toEqual([]);
}

describe('wall screen in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let course: Segment[];

  beforeAll(async () => {
    requireBuiltWebApp();
    stack = await startStack({ workers: 1 });
    // This suite looks at one scene: no rotation (the demo's default playlist) moves the wall on.
    await stack.db.query('DELETE FROM wall_playlist');
    course = await segments(stack.url, await login(stack.url));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('opens with the kiosk link, draws the course, and shows a surge as a critical alert that cannot be missed', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    const foreignHosts = new Set<string>();
    page.on('request', (req) => {
      const host = new URL(req.url()).host;
      if (!host.startsWith('127.0.0.1')) foreignHosts.add(host);
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The API's Content-Security-Policy is on: the wall (MapLibre's worker, WebGL, ECharts) must work under it.
    const violations = cspViolations(page);

    const t0 = Date.now() - 30_000;
    await postHeadcounts(
      stack.url,
      course.map((s) => ({ code: s.code, headcount: Math.round(s.capacity * (0.2 + (s.seq % 5) * 0.1)) })),
      new Date(t0),
    );

    await page.goto(`${stack.url}/wall?kiosk=${kioskToken}`);
    await page.waitForSelector(`[data-testid="wall-map"][data-segments="${course.length}"]`, { timeout: 30_000 });
    // The kiosk token leaves the address bar once exchanged.
    expect(page.url()).not.toContain('kiosk=');
    await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 15_000 });
    expect(await page.locator('[data-testid="segment-row"]').count()).toBe(course.length);
    expect(await page.locator('[data-testid="demo-badge"]').isVisible()).toBe(true);
    // What the wall shows and in which words comes from the demo's scene, not from the web app.
    expect(await page.locator('.wall').getAttribute('data-scene')).toBe('gz-marathon');
    expect(await page.locator('[data-testid="wall-event"]').textContent()).toBe('广州马拉松 · 实时人流');
    expect(await page.locator('[data-testid="kpi-total"] .kpi-label').textContent()).toBe('在跑人数');
    expect(await page.locator('[data-testid="kpi-warning-zones"] .kpi-label').textContent()).toBe('告警路段数');
    // The vital signs beside the event panel, each with its window and unit.
    await page.locator('[data-testid="vital-sign"]').first().waitFor({ state: 'visible', timeout: 15_000 });
    expect(
      await page.locator('[data-testid="vital-sign"][data-key="marathon.segment_load"] [data-testid="vital-window"]').textContent(),
    ).toMatch(/^近24小时/);
    await page.screenshot({ path: screenshotPath('wall-1080-calm') });
    await expectFits(page);

    const target = course[6];
    const surge = course.map((s) => ({
      code: s.code,
      headcount: s.code === target.code ? Math.round(s.capacity * 1.18) : Math.round(s.capacity * 0.3),
    }));
    const res = await postHeadcounts(stack.url, surge, new Date(t0 + 10_000));
    expect(res.status).toBe(200);

    const item = page.locator(`[data-testid="alert-item"][data-level="critical"][data-area-code="${target.code}"]`);
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    const banner = page.locator('[data-testid="critical-banner"]');
    await banner.waitFor({ state: 'visible', timeout: 5_000 });
    expect(await banner.textContent()).toContain('118');
    expect(await page.locator(`[data-testid="segment-row"][data-seq="${target.seq}"]`).getAttribute('data-level')).toBe('critical');
    // A display device only watches: no acknowledge button.
    expect(await page.locator('[data-testid="alert-ack"]').count()).toBe(0);
    // (How fast the alert reaches the wall is measured by `npm run bench:alert-latency`.)
    await mapFitsItsFrame(page);
    await page.screenshot({ path: screenshotPath('wall-1080-critical') });

    await page.setViewportSize(WALL_VIEWPORTS.uhd);
    await mapFitsItsFrame(page);
    await page.screenshot({ path: screenshotPath('wall-2160-critical') });
    await expectFits(page);

    expect([...foreignHosts]).toEqual([]);
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
    await page.close();
    // A 3840×2160 page in software WebGL on a shared machine: its screenshot alone can take a while.
  }, 120_000);

  it('shows the connection banner when the API goes away, reconnects by itself and shows what happened meanwhile', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd });
    await page.goto(`${stack.url}/wall?kiosk=${kioskToken}`);
    await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 30_000 });

    const port = Number(new URL(stack.url).port);
    await stack.api!.close();
    await page.locator('[data-testid="connection-banner"]').waitFor({ state: 'visible', timeout: 15_000 });
    await page.screenshot({ path: screenshotPath('wall-1080-disconnected') });

    // A surge while the wall is cut off: the wall must show it after reconnecting (snapshot refetch).
    const target = course[12];
    const restarted = await createApiApp(stack.config);
    await restarted.listen(port, '127.0.0.1');
    stack.api = restarted;
    await postHeadcounts(stack.url, [{ code: target.code, headcount: Math.round(target.capacity * 1.3) }], new Date());
    await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 30_000 });
    await page.locator('[data-testid="connection-banner"]').waitFor({ state: 'hidden', timeout: 10_000 });
    await page
      .locator(`[data-testid="alert-item"][data-level="critical"][data-area-code="${target.code}"]`)
      .waitFor({ state: 'visible', timeout: 15_000 });
    await page.close();
  });

  it("switches to English with ?lang=en, in the scene's English words, and fits both screens", async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    try {
      await page.goto(`${stack.url}/wall?kiosk=${kioskToken}&lang=en`);
      await page.waitForSelector(`[data-testid="wall-map"][data-segments="${course.length}"]`, { timeout: 60_000 });
      expect(await page.locator('body').textContent()).toContain('City Operations');
      expect(await page.locator('[data-testid="wall-event"]').textContent()).toBe('Guangzhou Marathon · Live crowd');
      expect(await page.locator('[data-testid="kpi-total"] .kpi-label').textContent()).toBe('Runners on course');
      expect(await page.locator('[data-testid="kpi-warning-zones"] .kpi-label').textContent()).toBe('Segments in alert');
      expect(await page.locator('#segments-title').textContent()).toBe('Load across segments');
      await page.screenshot({ path: screenshotPath('wall-1080-en') });
      await expectFits(page);
      await page.setViewportSize(WALL_VIEWPORTS.uhd);
      await waitUntil(page, 'return document.documentElement.clientWidth === 3840;');
      await page.screenshot({ path: screenshotPath('wall-2160-en') });
      await expectFits(page);
    } finally {
      await page.close();
    }
  });

  it('says plainly that ?scene= names no scene, and still shows the map, the districts and the alerts', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    try {
      await page.goto(`${stack.url}/wall?kiosk=${kioskToken}&scene=no-such-scene`);
      await page.waitForSelector('[data-testid="wall-map"][data-districts="11"]', { timeout: 60_000 });
      const notice = page.locator('[data-testid="scene-notice"]');
      expect(await notice.getAttribute('data-kind')).toBe('unknown');
      expect(await notice.textContent()).toContain('no-such-scene');
      // The scenes there are offered instead; none is shown in its place.
      expect(await notice.textContent()).toContain('广州马拉松 · 实时人流 (gz-marathon)');
      expect(await page.locator('[data-testid="segment-row"]').count()).toBe(0);
      expect(await page.locator('[data-testid="kpi-open-alerts"]').isVisible()).toBe(true);
      expect(await page.locator('[data-testid="wall-map"]').getAttribute('data-segments')).toBeNull();
      await page.screenshot({ path: screenshotPath('wall-1080-unknown-scene') });
      await expectFits(page);
    } finally {
      await page.close();
    }
  });

  it('says plainly that no scene is configured, in both languages on both screens, and still shows the map, the districts and the alerts', async () => {
    const saved = await stack.db.query(`SELECT * FROM scene`);
    await stack.db.query(`DELETE FROM scene`);
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    try {
      await page.goto(`${stack.url}/wall?kiosk=${kioskToken}&lang=zh`);
      await page.waitForSelector('[data-testid="wall-map"][data-districts="11"]', { timeout: 60_000 });
      await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 30_000 });
      await page.locator('[data-testid="kpi-open-alerts-value"]').filter({ hasNotText: '—' }).waitFor({ timeout: 30_000 });
      expect(await page.locator('.wall').getAttribute('data-scene')).toBe('none');
      expect(await page.locator('[data-testid="scene-notice"]').getAttribute('data-kind')).toBe('none');
      // No figures that are not there: no zone list, no scene KPIs, no "no live data" banner.
      expect(await page.locator('[data-testid="segment-row"]').count()).toBe(0);
      expect(await page.locator('[data-testid="kpi-total"]').count()).toBe(0);
      expect(await page.locator('[data-testid="stale-banner"]').count()).toBe(0);
      expect(await page.locator('[data-testid="kpi-open-alerts"]').isVisible()).toBe(true);
      expect(await page.locator('[data-testid="demo-badge"]').isVisible()).toBe(true);

      // One page through both languages and both screens (a 3840×2160 load costs much on a CPU renderer).
      const shots: [string, 'zh' | 'en', keyof typeof WALL_VIEWPORTS][] = [
        ['未配置大屏场景', 'zh', 'fullHd'],
        ['未配置大屏场景', 'zh', 'uhd'],
        ['No wall scene configured', 'en', 'uhd'],
        ['No wall scene configured', 'en', 'fullHd'],
      ];
      for (const [title, lang, screen] of shots) {
        if ((await page.locator('.wall').getAttribute('data-lang')) !== lang) await page.locator('[data-testid="lang-switch"]').click();
        await page.setViewportSize(WALL_VIEWPORTS[screen]);
        await waitUntil(page, `return document.documentElement.clientWidth === ${WALL_VIEWPORTS[screen].width};`);
        expect(await page.locator('[data-testid="wall-event"]').textContent()).toBe(title);
        await page.screenshot({ path: screenshotPath(`wall-${screen === 'uhd' ? 2160 : 1080}-no-scene-${lang}`) });
        await expectFits(page);
      }
    } finally {
      await page.close();
      for (const row of saved.rows) {
        const columns = Object.keys(row);
        await stack.db.query(
          `INSERT INTO scene (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
          // jsonb columns go back as JSON text (pg would send an array as a Postgres array).
          columns.map((c) =>
            typeof row[c] === 'object' && row[c] !== null && !(row[c] instanceof Date) ? JSON.stringify(row[c]) : row[c],
          ),
        );
      }
    }
  });

  interface WallStory {
    banner: string | null;
    listed: string[];
    openKpi: string;
    criticalZonesKpi: string;
    recent: string[];
  }

  /** What the banner, the list and the KPIs say at one moment (read in one go in the page; source text, as this tier has no DOM types). */
  function wallStory(page: Page): Promise<WallStory> {
    return page.evaluate<WallStory>(`(() => {
      const text = (sel) => (document.querySelector(sel)?.textContent ?? '').trim();
      const codes = (sel) => [...document.querySelectorAll(sel)].map((li) => li.getAttribute('data-area-code'));
      return {
        banner: document.querySelector('[data-testid="critical-banner"]')?.getAttribute('data-area-code') ?? null,
        listed: codes('[data-testid="alert-item"]'),
        openKpi: text('[data-testid="kpi-open-alerts-value"]'),
        criticalZonesKpi: text('[data-testid="kpi-critical-zones-value"]'),
        recent: codes('[data-testid="alert-recent"]'),
      };
    })()`);
  }

  /**
   * The banner names `code`. The list and the banner render from one store, so this holds at once
   * on a fast machine; when it does not, the error says what the wall and the API held instead.
   */
  async function bannerShows(page: Page, code: string): Promise<void> {
    let last: WallStory | undefined;
    const shown = await eventually(async () => (last = await wallStory(page)).banner === code, 15_000, `the banner for ${code}`).catch(
      () => false,
    );
    if (shown) return;
    const open = await fetch(`${stack.url}/api/alerts?state=firing`, { headers: { authorization: `Bearer ${await login(stack.url)}` } });
    const held = open.ok ? await open.text() : `GET /api/alerts: ${open.status}`;
    throw new Error(`the banner did not name ${code}; the wall showed ${JSON.stringify(last)}; the API held ${held.slice(0, 4000)}`);
  }

  /** Every segment well below its capacity: whatever was open resolves. */
  async function calm(at: Date): Promise<void> {
    const res = await postHeadcounts(
      stack.url,
      course.map((s) => ({ code: s.code, headcount: Math.round(s.capacity * 0.3) })),
      at,
    );
    expect(res.status).toBe(200);
  }

  it('tells one story: a breach shows in banner, list and KPIs at once, and when it resolves they all drop it and it is listed as recently resolved with its duration', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    try {
      await calm(new Date());
      await page.goto(`${stack.url}/wall?kiosk=${kioskToken}&lang=zh`);
      await page.waitForSelector(`[data-testid="wall-map"][data-segments="${course.length}"]`, { timeout: 60_000 });
      await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 30_000 });
      await page.locator('[data-testid="kpi-open-alerts-value"]').filter({ hasText: /^0$/ }).waitFor({ timeout: 30_000 });

      // Earlier tests' alerts, resolved by the calm readings, are listed as recent already.
      const before = await wallStory(page);
      expect(before).toMatchObject({ banner: null, listed: [], openKpi: '0' });
      expect(before.recent).not.toContain(course[3].code);
      const [hot, warm] = [course[3], course[15]];
      const breachAt = Date.now();
      await postHeadcounts(
        stack.url,
        [
          { code: hot.code, headcount: Math.round(hot.capacity * 1.18) },
          { code: warm.code, headcount: Math.round(warm.capacity * 0.86) },
        ],
        new Date(breachAt),
      );
      await page.locator(`[data-testid="alert-item"][data-level="critical"][data-area-code="${hot.code}"]`).waitFor({ timeout: 15_000 });
      await page.locator(`[data-testid="alert-item"][data-area-code="${warm.code}"]`).waitFor({ timeout: 15_000 });
      expect(await wallStory(page)).toEqual({
        banner: hot.code,
        listed: [hot.code, warm.code],
        openKpi: '2',
        criticalZonesKpi: '1',
        recent: before.recent,
      });
      expect(await page.locator('[data-testid="critical-banner"]').textContent()).toContain('118%');
      expect(
        await page.locator(`[data-testid="alert-item"][data-area-code="${hot.code}"] [data-testid="alert-duration"]`).textContent(),
      ).toMatch(/^已持续 /);

      // The next reading, 3 s later, brings the hot segment back down.
      await postHeadcounts(stack.url, [{ code: hot.code, headcount: Math.round(hot.capacity * 0.3) }], new Date(breachAt + 3_000));
      const recent = page.locator(`[data-testid="alert-recent"][data-area-code="${hot.code}"]`);
      await recent.waitFor({ timeout: 15_000 });
      // Banner, list and KPIs changed together (one render from one store): nothing left over.
      const after = await wallStory(page);
      expect(after).toEqual({ banner: null, listed: [warm.code], openKpi: '1', criticalZonesKpi: '0', recent: after.recent });
      // The most recently resolved comes first.
      expect(after.recent[0]).toBe(hot.code);
      expect(await recent.locator('[data-testid="alert-recent-lasted"]').textContent()).toMatch(/^持续 \d+秒$/);

      await mapFitsItsFrame(page);
      await page.screenshot({ path: screenshotPath('wall-1080-story-zh') });
      await expectFits(page);
      const shots: ['zh' | 'en', keyof typeof WALL_VIEWPORTS, string][] = [
        ['zh', 'uhd', 'wall-2160-story-zh'],
        ['en', 'uhd', 'wall-2160-story-en'],
        ['en', 'fullHd', 'wall-1080-story-en'],
      ];
      for (const [lang, screen, name] of shots) {
        if ((await page.locator('.wall').getAttribute('data-lang')) !== lang) await page.locator('[data-testid="lang-switch"]').click();
        await page.setViewportSize(WALL_VIEWPORTS[screen]);
        await waitUntil(page, `return document.documentElement.clientWidth === ${WALL_VIEWPORTS[screen].width};`);
        await mapFitsItsFrame(page);
        await page.screenshot({ path: screenshotPath(name) });
        await expectFits(page);
      }
      expect(await recent.locator('[data-testid="alert-recent-lasted"]').textContent()).toMatch(/^lasted \d+s$/);
    } finally {
      await page.close();
    }
  });

  it('lets a signed-in operator acknowledge an alert from the wall, with a comment, and shows who did', async () => {
    const operator = await createUser(stack.url, await login(stack.url), { username: 'wall-operator', roles: ['operator'] });
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    try {
      await calm(new Date());
      await page.goto(`${stack.url}/wall?lang=zh`);
      await page.waitForSelector('[data-testid="sign-in-form"]', { timeout: 15_000 });
      await page.fill('input[name="username"]', operator.username);
      await page.fill('input[name="password"]', operator.password);
      await page.locator('[data-testid="sign-in-form"] button[type="submit"]').click();
      await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 60_000 });

      const target = course[9];
      await postHeadcounts(stack.url, [{ code: target.code, headcount: Math.round(target.capacity * 1.25) }], new Date());
      const item = page.locator(`[data-testid="alert-item"][data-level="critical"][data-area-code="${target.code}"]`);
      await item.waitFor({ timeout: 15_000 });
      await bannerShows(page, target.code);

      const ackBodies: unknown[] = [];
      page.on('request', (req) => {
        if (req.method() === 'POST' && req.url().endsWith('/ack')) ackBodies.push(req.postDataJSON());
      });
      // Keyboard only: focus the button, Enter opens the comment, Enter sends it.
      await item.locator('[data-testid="alert-ack"]').focus();
      await page.keyboard.press('Enter');
      await page.keyboard.type('已派人到场');
      await page.screenshot({ path: screenshotPath('wall-1080-ack-form') });
      await page.keyboard.press('Enter');

      const acked = item.locator('[data-testid="alert-acked"]');
      await acked.waitFor({ timeout: 15_000 });
      expect(await acked.textContent()).toContain('wall-operator 已确认');
      // The comment goes with it (the wall shows it once the API keeps comments, as `ackComment`).
      expect(ackBodies).toEqual([{ comment: '已派人到场' }]);
      expect(await item.locator('[data-testid="alert-ack"]').count()).toBe(0);
      // Seen by someone: the banner stands down; the alert stays listed and counted.
      await page.locator('[data-testid="critical-banner"]').waitFor({ state: 'hidden', timeout: 5_000 });
      expect(await page.locator('[data-testid="kpi-open-alerts-value"]').textContent()).toBe('1');
      await page.screenshot({ path: screenshotPath('wall-1080-acked') });

      const stored = (await (
        await fetch(`${stack.url}/api/alerts?state=firing`, { headers: { authorization: `Bearer ${await login(stack.url)}` } })
      ).json()) as { areaCode: string; acknowledgedBy: string | null }[];
      expect(stored.find((a) => a.areaCode === target.code)?.acknowledgedBy).toBe('wall-operator');
    } finally {
      await page.close();
    }
  });

  it('lets a signed-in commander open a burst’s group and acknowledge and silence alerts inside it', async () => {
    const commander = await createUser(stack.url, await login(stack.url), { username: 'wall-commander', roles: ['commander'] });
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    try {
      await calm(new Date());
      await page.goto(`${stack.url}/wall?lang=zh`);
      await page.waitForSelector('[data-testid="sign-in-form"]', { timeout: 15_000 });
      await page.fill('input[name="username"]', commander.username);
      await page.fill('input[name="password"]', commander.password);
      await page.locator('[data-testid="sign-in-form"] button[type="submit"]').click();
      await page.waitForSelector('.wall[data-live-status="connected"]', { timeout: 60_000 });
      await page.locator('[data-testid="kpi-open-alerts-value"]').filter({ hasText: /^0$/ }).waitFor({ timeout: 30_000 });

      // Eight segments over capacity at once: more than the list has rows for, so it groups them.
      const burst = course.slice(0, 8);
      await postHeadcounts(
        stack.url,
        burst.map((s) => ({ code: s.code, headcount: Math.round(s.capacity * 1.25) })),
        new Date(),
      );
      await page.locator('[data-testid="kpi-open-alerts-value"]').filter({ hasText: /^8$/ }).waitFor({ timeout: 15_000 });
      const group = page.locator('[data-testid="alert-group"]').first();
      await group.waitFor({ timeout: 15_000 });
      expect(await page.locator('[data-testid="alert-item"]').count()).toBe(0);

      await group.locator('[data-testid="alert-group-toggle"]').click();
      const inside = group.locator('[data-testid="alert-group-alerts"] [data-testid="alert-item"]');
      await inside.first().waitFor({ timeout: 5_000 });
      expect(await inside.count()).toBe(Number(await group.getAttribute('data-count')));
      const first = inside.nth(0);
      const second = inside.nth(1);
      const [ackedId, silencedId] = [await first.getAttribute('data-alert-id'), await second.getAttribute('data-alert-id')];

      await first.locator('[data-testid="alert-ack"]').click();
      await page.keyboard.type('分组内逐条确认');
      await page.screenshot({ path: screenshotPath('wall-1080-group-ack-form') });
      await page.keyboard.press('Enter');
      await first.locator('[data-testid="alert-acked"]').waitFor({ timeout: 15_000 });
      expect(await first.locator('[data-testid="alert-acked"]').textContent()).toContain('wall-commander 已确认');

      await second.locator('[data-testid="alert-silence"]').click();
      await page.keyboard.type('演练，已知');
      await page.keyboard.press('Enter');
      await second.locator('.alert-flag', { hasText: '已静默' }).waitFor({ timeout: 15_000 });
      expect(await second.locator('[data-testid="alert-silence"]').count()).toBe(0);
      expect(await group.locator('[data-testid="alert-group-toggle"]').getAttribute('aria-expanded')).toBe('true');
      await page.screenshot({ path: screenshotPath('wall-1080-group-open') });

      const stored = (await (
        await fetch(`${stack.url}/api/alerts?state=firing`, { headers: { authorization: `Bearer ${await login(stack.url)}` } })
      ).json()) as { id: string; acknowledgedBy: string | null; silencedBy: string | null }[];
      expect(stored.find((a) => a.id === ackedId)?.acknowledgedBy).toBe('wall-commander');
      expect(stored.find((a) => a.id === silencedId)?.silencedBy).not.toBeNull();
    } finally {
      await page.close();
    }
  });

  it('shows the sign-in form, not the wall, without a token', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd });
    await page.goto(`${stack.url}/wall`);
    await page.waitForSelector('[data-testid="sign-in-form"]', { timeout: 15_000 });
    expect(await page.locator('[data-testid="wall-map"]').count()).toBe(0);
    await page.close();
  });
});
