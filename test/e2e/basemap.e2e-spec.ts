import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { BasemapService } from '../../apps/api/src/basemap/basemap.service';
import { buildTestArchive } from '../support/basemap-archive';
import { eventually } from '../support/eventually';
import { kioskToken, startStack, suiteConfig, type TestStack } from '../support/stack';
import { cspViolations, launchBrowser, mapFitsItsFrame, screenshotPath, WALL_VIEWPORTS, requireBuiltWebApp } from './browser';

/** A deadline, not a speed: WebGL runs on the CPU here, and glyph ranges are drawn on first use. */
jest.setTimeout(240_000);

/** The zones of the demo's course that the wall shows (its only scene). */
const SEGMENTS = 21;

interface Watch {
  glyphs: { url: string; status: number }[];
  basemap: { url: string; status: number }[];
  errors: string[];
  violations: string[];
}

function watch(page: Page): Watch {
  const seen: Watch = { glyphs: [], basemap: [], errors: [], violations: cspViolations(page) };
  page.on('response', (res) => {
    const url = res.url();
    if (url.includes('/api/basemap/glyphs/')) seen.glyphs.push({ url, status: res.status() });
    else if (url.includes('/api/basemap/')) seen.basemap.push({ url, status: res.status() });
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  return seen;
}

interface DrawnLabels {
  districts: string[];
  segments: number;
  ends: string;
}

/**
 * The map frame's `data-labels-*` once `district` is among the names drawn, with the zone numbers
 * and both ends (read in one go: the camera still moving changes what is in view).
 */
async function labelsDrawn(page: Page, district: string): Promise<DrawnLabels> {
  const frame = page.locator('[data-testid="wall-map"]');
  let last: DrawnLabels | null = null;
  const read = async (): Promise<DrawnLabels> => {
    const data = await frame.evaluate((el: { dataset: Record<string, string | undefined> }) => ({ ...el.dataset }));
    return {
      districts: (data.labelsDistrictNames ?? '').split('|'),
      segments: Number(data.labelsSegments ?? 0),
      ends: data.labelsEnds ?? '',
    };
  };
  const done = await eventually(
    async () => {
      last = await read();
      return last.districts.includes(district) && last.segments >= SEGMENTS - 2 && last.ends === 'finish|start' ? last : null;
    },
    120_000,
    `labels with ${district}`,
    250,
  ).catch(() => null);
  if (!done) throw new Error(`labels not drawn: last seen ${JSON.stringify(last)}`);
  return done;
}

describe('the wall’s map labels and base map on a closed network, in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    requireBuiltWebApp();
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  describe('without a base map: our own context layers', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startStack({ workers: 0 });
      // The labels are checked on the course's scene: no rotation (the demo's default playlist) moves the wall on.
      await stack.db.query('DELETE FROM wall_playlist');
    });
    afterAll(() => stack?.stop());

    it('shows district names in Chinese, the course’s segment numbers and its start and finish, with glyphs from the API', async () => {
      const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
      const seen = watch(page);
      try {
        await page.goto(`${stack.url}/wall?kiosk=${kioskToken}`);
        await page.waitForSelector(`[data-testid="wall-map"][data-segments="${SEGMENTS}"]`, { timeout: 60_000 });
        const labels = await labelsDrawn(page, '天河区');
        expect(labels.districts.every((name) => /^[\u4e00-\u9fff]+$/.test(name))).toBe(true);
        expect(labels.segments).toBeGreaterThanOrEqual(SEGMENTS - 2);
        await mapFitsItsFrame(page);
        await page.screenshot({ path: screenshotPath('wall-1080-labels-zh') });
        // The glyphs came from this origin, Latin (digits) and CJK blocks among them, all found.
        expect(seen.glyphs.length).toBeGreaterThan(1);
        expect(seen.glyphs.every((g) => g.url.startsWith(stack.url) && g.status === 200)).toBe(true);
        expect(seen.glyphs.some((g) => g.url.endsWith('/0-255.pbf'))).toBe(true);
        expect(seen.glyphs.some((g) => Number(/\/(\d+)-\d+\.pbf$/.exec(g.url)?.[1]) >= 0x4e00)).toBe(true);
        expect(seen.errors).toEqual([]);
        expect(seen.violations).toEqual([]);
      } finally {
        await page.close();
      }
    });

    it('shows Latin names on the English page', async () => {
      const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
      const seen = watch(page);
      try {
        await page.goto(`${stack.url}/wall?kiosk=${kioskToken}&lang=en`);
        await page.waitForSelector(`[data-testid="wall-map"][data-segments="${SEGMENTS}"]`, { timeout: 60_000 });
        const labels = await labelsDrawn(page, 'Tianhe District');
        expect(labels.districts.every((name) => /^[A-Za-z ]+$/.test(name))).toBe(true);
        await mapFitsItsFrame(page);
        await page.screenshot({ path: screenshotPath('wall-1080-labels-en') });
        expect(seen.glyphs.every((g) => g.status === 200)).toBe(true);
        expect(seen.errors).toEqual([]);
        expect(seen.violations).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });

  describe('with a local archive (BASEMAP_ARCHIVE)', () => {
    let stack: TestStack;
    let dir: string;
    /** Tiles the API served from the archive (MapLibre fetches them in its worker, which the page's events do not show). */
    const served: { tile: string; found: boolean }[] = [];
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cityops-basemap-e2e-'));
      const base = await suiteConfig();
      const maker = await startStack({ config: base, api: false, workers: 0 });
      let archive: string;
      try {
        archive = await buildTestArchive(maker.db, dir);
      } finally {
        await maker.stop();
      }
      stack = await startStack({
        workers: 0,
        config: { ...base, basemap: { ...base.basemap, archive: { path: archive, kind: 'mbtiles' } } },
      });
      if (!stack.api) throw new Error('the API did not start');
      await stack.db.query('DELETE FROM wall_playlist');
      const service = stack.api.get(BasemapService);
      const tile = service.tile.bind(service);
      service.tile = async (z, x, y, ext) => {
        const answer = await tile(z, x, y, ext);
        served.push({ tile: `${z}/${x}/${y}.${ext}`, found: answer.tile !== null });
        return answer;
      };
    }, 180_000);
    afterAll(async () => {
      await stack?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('draws the archive’s style and tiles from this origin under our layers, nothing refused', async () => {
      const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
      const seen = watch(page);
      const warnings: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text());
      });
      try {
        await page.goto(`${stack.url}/wall?kiosk=${kioskToken}`);
        await page.waitForSelector(`[data-testid="wall-map"][data-segments="${SEGMENTS}"]`, { timeout: 60_000 });
        await labelsDrawn(page, '天河区');
        expect(seen.basemap.map((r) => new URL(r.url).pathname)).toEqual(
          expect.arrayContaining(['/api/basemap/style.json', '/api/basemap/tiles.json']),
        );
        expect(seen.basemap.find((r) => r.url.includes('style.json'))?.url).toContain('lang=zh');
        await mapFitsItsFrame(page);
        await page.screenshot({ path: screenshotPath('wall-1080-archive') });
        expect(served.some((t) => t.found)).toBe(true);
        // The archive's style was kept (no fall-back to the offline one).
        expect(warnings.filter((w) => w.includes('base map style failed'))).toEqual([]);
        expect(seen.errors).toEqual([]);
        expect(seen.violations).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });
});
