import type { Browser, Page } from 'playwright-core';
import { postHeadcounts, segments } from '../support/marathon';
import { kioskToken, login, startStack, type TestStack } from '../support/stack';
import { launchBrowser, screenshotPath, requireBuiltWebApp } from './browser';

/** A deadline, not a speed: a 3840×2160 WebGL frame on a shared CPU can take many seconds. */
jest.setTimeout(300_000);

/** The command centre's screens: Full HD, 4K and a 3×1 video wall. */
const SCREENS = [
  { name: '1080', width: 1920, height: 1080 },
  { name: '2160', width: 3840, height: 2160 },
  { name: '5760', width: 5760, height: 1080 },
] as const;

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

interface Measures {
  scrollWidth: number;
  innerWidth: number;
  innerHeight: number;
  clock: Box | null;
  header: Box | null;
  titleClipped: boolean | null;
  /** Zone names in the side list cut short (an ellipsis). */
  segmentNamesClipped: number;
  smallestText: number;
}

/**
 * What of the page lies outside the screen or is cut: the page's own width, the clock's and the
 * header's boxes, and the smallest text the wall shows. Page source as text: the tests compile
 * without the DOM types.
 */
async function measure(page: Page): Promise<Measures> {
  return page.evaluate<Measures>(`(() => {
    const box = (selector) => {
      const el = document.querySelector(selector);
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    };
    const clipped = (selector) => {
      const el = document.querySelector(selector);
      return el ? el.scrollWidth > el.clientWidth + 1 : null;
    };
    const smallest = [...document.querySelectorAll('.wall *')]
      .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && (n.textContent || '').trim()))
      // MapLibre's own controls are not the wall's text.
      .filter((el) => el.offsetParent !== null && !el.closest('[class*="maplibregl-"]'))
      .map((el) => parseFloat(getComputedStyle(el).fontSize));
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      innerHeight: window.innerHeight,
      clock: box('[data-testid="clock"]'),
      header: box('.wall-header'),
      titleClipped: clipped('.wall-title'),
      segmentNamesClipped: [...document.querySelectorAll('.segment-name, .segment-open')].filter((el) => el.scrollWidth > el.clientWidth + 1).length,
      smallestText: Math.min(...smallest),
    };
  })()`);
}

describe('the wall fits the command centre’s screens, in Chinese and in English (headless Chromium)', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    requireBuiltWebApp();
    stack = await startStack({ workers: 1 });
    const course = await segments(stack.url, await login(stack.url));
    const t0 = new Date(Date.now() - 10_000);
    // Busy figures (seven digits of runners) and one critical segment: the widest the board gets.
    await postHeadcounts(
      stack.url,
      course.map((s, i) => ({ code: s.code, headcount: Math.round(s.capacity * (i === 3 ? 1.3 : 0.7)) })),
      t0,
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  for (const lang of ['en', 'zh'] as const) {
    for (const screen of SCREENS) {
      it(`fits ${screen.width}×${screen.height} in ${lang}: no horizontal overflow, the clock and the header inside the screen, text readable`, async () => {
        // Layout is in CSS pixels, so the big screens are checked at their full CSS size; their
        // canvas is drawn at half the pixels (a software renderer fills 8 megapixels slowly), and the
        // screenshot is the screen scaled down by half.
        const page = await browser.newPage({
          viewport: { width: screen.width, height: screen.height },
          deviceScaleFactor: screen.width > 1920 ? 0.5 : 1,
        });
        // The marathon: the densest scene (zone list, four KPIs, a critical banner).
        await page.goto(`${stack.url}/wall?kiosk=${kioskToken}&lang=${lang}&scene=gz-marathon`);
        await page.waitForSelector('[data-testid="segments-ready"]', { state: 'attached', timeout: 120_000 });
        await page.locator('[data-testid="critical-banner"]').waitFor({ timeout: 60_000 });
        const m = await measure(page);
        expect(m.scrollWidth).toBeLessThanOrEqual(m.innerWidth);
        expect(m.header?.right).toBeLessThanOrEqual(m.innerWidth);
        expect(m.clock?.right).toBeLessThanOrEqual(m.innerWidth);
        expect(m.clock?.left).toBeGreaterThanOrEqual(0);
        expect(m.titleClipped).toBe(false);
        // A 3×1 wall has room to spare: its side columns are wide enough for every segment's name.
        if (screen.name === '5760') expect(m.segmentNamesClipped).toBe(0);
        // Secondary text at least ~1.4% of the screen's height (15 px at 1080, 30 px at 2160).
        expect(m.smallestText).toBeGreaterThanOrEqual(Math.floor(m.innerHeight * 0.014));
        await page.screenshot({ path: screenshotPath(`wall-layout-${screen.name}-${lang}`) });
        await page.close();
      });
    }
  }
});
