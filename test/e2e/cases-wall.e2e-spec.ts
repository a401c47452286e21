import type { Browser, Page } from 'playwright-core';
import { CaseStatisticsService, CaseSupervisionService } from '@cityops/cases';
import type { CaseDetail } from '@cityops/contracts';
import { createUser, kioskToken, login, startStack, type TestStack, type TestUser } from '../support/stack';
import {
  cspViolations,
  launchBrowser,
  mapFitsItsFrame,
  painted,
  screenshotPath,
  signInThroughForm,
  waitUntil,
  requireBuiltWebApp,
} from './browser';

/** A deadline, not a speed: a 3840×2160 WebGL frame on a shared CPU can take many seconds. */
jest.setTimeout(300_000);

const TIANHE = '440106';
/** Routed to a department at once, with an accept deadline of one working hour. */
const MANHOLE = 'manhole-cover';
const OVERVIEW = 'gz-overview';

const SCREENS = [
  { name: '1920-zh', width: 1920, height: 1080, lang: 'zh' },
  { name: '1920-en', width: 1920, height: 1080, lang: 'en' },
  { name: '3840-zh', width: 3840, height: 2160, lang: 'zh' },
  { name: '5760-en', width: 5760, height: 1080, lang: 'en' },
] as const;

interface Grid {
  code: string;
  lon: number;
  lat: number;
}

interface Measures {
  scrollWidth: number;
  innerWidth: number;
  innerHeight: number;
  smallestText: number;
  /** The cases panel's box, and whether any of its lines is cut at the right. */
  panel: { left: number; right: number; top: number; bottom: number } | null;
  panelClipped: number;
}

/** What of the wall lies outside the screen, the smallest text it shows, and the cases panel's lines cut short. */
async function measure(page: Page): Promise<Measures> {
  return page.evaluate<Measures>(`(() => {
    const smallest = [...document.querySelectorAll('.wall *')]
      .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && (n.textContent || '').trim()))
      .filter((el) => el.offsetParent !== null && !el.closest('[class*="maplibregl-"]'))
      .map((el) => parseFloat(getComputedStyle(el).fontSize));
    const panel = document.querySelector('[data-testid="cases-panel"]');
    const r = panel && panel.getBoundingClientRect();
    const lines = panel ? [...panel.querySelectorAll('.panel-title, .cases-figure-label, .cases-section-title, .cases-notice-level')] : [];
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      innerHeight: window.innerHeight,
      smallestText: Math.min(...smallest),
      panel: r ? { left: r.left, right: r.right, top: r.top, bottom: r.bottom } : null,
      panelClipped: lines.filter((el) => el.scrollWidth > el.clientWidth + 1).length,
    };
  })()`);
}

describe('cases on the wall and on the analyst’s map (headless Chromium)', () => {
  let stack: TestStack;
  let browser: Browser;
  let operatorToken: string;
  let analyst: TestUser;
  let grid: Grid;
  let supervision: CaseSupervisionService;

  const api = async <T>(token: string, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  /** A case filed in a Tianhe grid (a little apart from the others), with its row id for the supervision service. */
  const file = async (category: string, nudge: number): Promise<{ detail: CaseDetail; id: string }> => {
    const detail = await api<CaseDetail>(operatorToken, 'POST', '/api/cases', {
      category,
      description: `cases-wall e2e ${nudge}`,
      location: [grid.lon + nudge * 0.002, grid.lat],
    });
    const id = (await stack.db.query<{ id: string }>(`SELECT id::text FROM city_case WHERE code = $1`, [detail.code])).rows[0].id;
    return { detail, id };
  };

  beforeAll(async () => {
    requireBuiltWebApp();
    stack = await startStack({ workers: 1 });
    const admin = await login(stack.url);
    const operator = await createUser(stack.url, admin, { username: 'cw-operator', roles: ['operator'] });
    operatorToken = await login(stack.url, operator.username, operator.password);
    analyst = await createUser(stack.url, admin, { username: 'cw-analyst', roles: ['analyst'] });
    grid = (
      await stack.db.query<Grid>(
        `SELECT g.code, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
           FROM area g JOIN area d ON d.code = $1 WHERE g.level = 'grid' AND g.path_ids && ARRAY[d.id] ORDER BY g.code LIMIT 1`,
        [TIANHE],
      )
    ).rows[0];
    supervision = stack.workers[0].get(CaseSupervisionService, { strict: false });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** The overview scene's wall, held (no rotation), connected and with its cases panel read. */
  const openWall = async (screen: (typeof SCREENS)[number]): Promise<Page> => {
    const page = await browser.newPage({
      viewport: { width: screen.width, height: screen.height },
      deviceScaleFactor: screen.width > 1920 ? 0.5 : 1,
    });
    await page.goto(`${stack.url}/wall?kiosk=${kioskToken}&lang=${screen.lang}&scene=${OVERVIEW}`);
    await page.locator('[data-testid="cases-panel"]').waitFor({ timeout: 60_000 });
    await page.locator('.wall[data-live-status="connected"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="cases-promise-row"], [data-testid="cases-promise"] .cases-note').first().waitFor({ timeout: 30_000 });
    return page;
  };

  it('shows a 督办 notice on the wall within seconds of a case being supervised, newest first, its level and area named', async () => {
    const errors: string[] = [];
    const { detail, id } = await file(MANHOLE, 1);
    const due = new Date(detail.acceptDueAt ?? '');
    expect(detail.state).toBe('dispatched');
    // The street counts behind the panel's figures, as the five-minute job would write them.
    await stack.workers[0].get(CaseStatisticsService, { strict: false }).publish();

    const page = await openWall(SCREENS[0]);
    page.on('pageerror', (e) => errors.push(e.message));
    expect(await page.locator('[data-testid="cases-notice"]').count()).toBe(0);

    expect(await supervision.supervise(id, due)).toBe(true);
    const first = page.locator(`[data-testid="cases-notice"][data-code="${detail.code}"][data-level="1"]`);
    await first.waitFor({ timeout: 5_000 });
    expect(await first.textContent()).toContain('社区督办');

    // Two levels up a while later: a new notice on top; the first stays below it.
    const later = new Date(due.getTime() + 3 * 3600_000);
    expect(await supervision.supervise(id, later)).toBe(true);
    await page.locator(`[data-testid="cases-notice"][data-code="${detail.code}"]:not([data-level="1"])`).waitFor({ timeout: 5_000 });
    const levels = await page.locator('[data-testid="cases-notice"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-level')));
    expect(levels).toHaveLength(2);
    expect(Number(levels[0])).toBeGreaterThan(1);
    expect(levels[1]).toBe('1');

    // The counts of the city come from the case indicators: the open case and its supervision are counted.
    await waitUntil(page, `return Number(document.querySelector('[data-testid="cases-open"]')?.dataset.value || 0) >= 1;`, {
      timeout: 30_000,
      what: 'the open cases counted',
    });
    await mapFitsItsFrame(page, 30_000);
    await page.screenshot({ path: screenshotPath('cases-wall-1920-zh-notices') });
    expect(errors).toEqual([]);
    expect(cspViolations(page)).toEqual([]);
    await page.close();
  });

  for (const screen of SCREENS) {
    it(`fits the cases panel at ${screen.width}×${screen.height} in ${screen.lang}: inside the screen, nothing cut, text readable`, async () => {
      const { detail, id } = await file(MANHOLE, 2 + SCREENS.indexOf(screen));
      const page = await openWall(screen);
      expect(await supervision.supervise(id, new Date(detail.acceptDueAt ?? ''))).toBe(true);
      await page.locator(`[data-testid="cases-notice"][data-code="${detail.code}"]`).waitFor({ timeout: 5_000 });
      const m = await measure(page);
      expect(m.scrollWidth).toBeLessThanOrEqual(m.innerWidth);
      expect(m.panel?.right).toBeLessThanOrEqual(m.innerWidth);
      expect(m.panel?.bottom).toBeLessThanOrEqual(m.innerHeight);
      expect(m.panelClipped).toBe(0);
      expect(m.smallestText).toBeGreaterThanOrEqual(Math.floor(m.innerHeight * 0.014));
      // The cases on the scene's map too (the overview names the cases layer).
      await waitUntil(
        page,
        `const r = JSON.parse(document.querySelector('[data-testid="wall-map"]')?.dataset.sceneRendered || '{}');
         return (r['catalog:cases'] || 0) >= 1;`,
        { timeout: 30_000, what: 'the cases drawn on the wall’s map' },
      );
      // As the layout test does: a 4K canvas is drawn at half the pixels, never the frame's CSS size.
      if (screen.width <= 1920) await mapFitsItsFrame(page, 60_000);
      else await painted(page);
      await page.screenshot({ path: screenshotPath(`cases-wall-${screen.name}`) });
      await page.close();
    });
  }

  it('draws the open cases on /map when the cases layer is toggled, keeps them live, and opens a case’s popup', async () => {
    const supervised = await file(MANHOLE, 9);
    expect(await supervision.supervise(supervised.id, new Date(supervised.detail.acceptDueAt ?? ''))).toBe(true);
    // Past its deadline on the real clock too (moved back by hand: no change is announced for it, and
    // the map's tiles are made after it): the tiles say when it fell due, the map marks it overdue.
    await stack.db.query(`UPDATE city_case SET accept_due_at = now() - interval '1 hour' WHERE id = $1`, [supervised.id]);
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors = cspViolations(page);
    page.on('pageerror', (e) => errors.push(e.message));
    // Framed on the Tianhe grid of the cases, clear of the side panel.
    await page.goto(`${stack.url}/map?lang=en&c=${grid.lon.toFixed(5)},${grid.lat.toFixed(5)}&z=14`);
    await signInThroughForm(page, analyst.username, analyst.password);
    const toggle = page.locator('[data-testid="layer-toggle"][data-layer="cases"]');
    await toggle.waitFor({ timeout: 60_000 });
    expect(await page.locator('.layer-theme[data-theme="urban_management"] [data-layer="cases"]').count()).toBe(1);
    await toggle.check();

    const layer = page.locator('[data-testid="cases-layer"]');
    await waitUntil(page, `return document.querySelector('[data-testid="cases-layer"]')?.dataset.loaded === 'true';`, {
      timeout: 30_000,
      what: 'the cases in view',
    });
    const before = Number(await layer.getAttribute('data-features'));
    expect(before).toBeGreaterThanOrEqual(2);
    await page.locator('[data-testid="cases-legend"]').waitFor();
    await waitUntil(
      page,
      `const r = JSON.parse(document.querySelector('[data-testid="analyst-map"]')?.dataset.rendered || '{}');
       return (r['catalog:cases'] || 0) >= 2 && (r['catalog:cases:ring'] || 0) >= 1 && (r['catalog:cases:overdue'] || 0) >= 1;`,
      { timeout: 30_000, what: 'the points, a supervision ring and an overdue mark drawn' },
    );

    // A case filed now appears without a reload (case.changed).
    await file('green-damage', -3);
    await waitUntil(page, `return Number(document.querySelector('[data-testid="cases-layer"]')?.dataset.features || 0) > ${before};`, {
      timeout: 10_000,
      what: 'the new case on the map',
    });
    // Heard on the socket, and the view's tiles asked for again (the case's own tile answered anew).
    expect(Number(await layer.getAttribute('data-changes'))).toBeGreaterThanOrEqual(1);
    expect(Number(await layer.getAttribute('data-renewals'))).toBeGreaterThanOrEqual(1);

    // A click on the supervised case opens its popup: code, category, state, deadline, supervision, a link.
    const point = await waitUntil<[number, number]>(
      page,
      `const frame = document.querySelector('[data-testid="analyst-map-frame"]');
       const points = JSON.parse(frame?.dataset.casePoints || '[]');
       const p = points.find((q) => q[0] === ${JSON.stringify(supervised.detail.code)});
       return p && [p[1], p[2]];`,
      { what: 'the supervised case on the canvas' },
    );
    await painted(page);
    const frameBox = await page.locator('[data-testid="analyst-map-frame"]').boundingBox();
    if (!frameBox) throw new Error('no map frame');
    await page.mouse.click(frameBox.x + point[0], frameBox.y + point[1]);
    const popup = page.locator('[data-testid="map-popup"][data-kind="case"][data-loaded="true"]');
    await popup.waitFor({ timeout: 10_000 });
    expect(await popup.getAttribute('data-code')).toBe(supervised.detail.code);
    expect(await page.locator('[data-testid="case-popup-supervision"]').textContent()).toMatch(/Supervised by/);
    // Supervised on the service's clock, not the server's: the deadline still runs in real time.
    expect(await page.locator('[data-testid="case-popup-deadline"]').textContent()).toMatch(/to accept|overdue/i);
    expect(await page.locator('[data-testid="case-popup-link"]').getAttribute('href')).toBe(`/cases/${supervised.detail.code}`);
    await painted(page);
    await page.screenshot({ path: screenshotPath('cases-map-1920-en') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
