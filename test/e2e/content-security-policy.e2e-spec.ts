import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { eventually } from '../support/eventually';
import { kioskToken, startStack, type TestStack } from '../support/stack';
import { cspViolations, launchBrowser, mapFitsItsFrame, screenshotPath, WALL_VIEWPORTS, requireBuiltWebApp, waitUntil } from './browser';

jest.setTimeout(120_000);

/** A 1×1 grey PNG: enough of a raster tile for MapLibre to draw. */
const TILE_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/**
 * A base-map host of its own origin (another port on this machine): a MapLibre style whose raster
 * tiles it serves too, with CORS as real tile hosts send it. Counts what it was asked for.
 */
class BasemapHost {
  readonly requests: string[] = [];
  private server: Server | undefined;
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      this.requests.push(path);
      const cors = { 'access-control-allow-origin': '*' };
      if (path === '/style.json') {
        res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(
          JSON.stringify({
            version: 8,
            name: 'e2e base map',
            sources: { base: { type: 'raster', tiles: [`${this.origin}/tiles/{z}/{x}/{y}.png`], tileSize: 256 } },
            layers: [
              { id: 'background', type: 'background', paint: { 'background-color': '#101820' } },
              { id: 'base', type: 'raster', source: 'base', paint: { 'raster-opacity': 0.5 } },
            ],
          }),
        );
      } else if (path.startsWith('/tiles/')) {
        res.writeHead(200, { ...cors, 'content-type': 'image/png' }).end(TILE_PNG);
      } else {
        res.writeHead(404, cors).end();
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe("the web app and Swagger UI under the API's Content-Security-Policy, in headless Chromium", () => {
  const basemap = new BasemapHost();
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    requireBuiltWebApp();
    await basemap.start();
    stack = await startStack({ workers: 0, env: { BASEMAP_STYLE_URL: `${basemap.origin}/style.json` } });
    // This suite looks at one scene: no rotation (the demo's default playlist) moves the wall on.
    await stack.db.query('DELETE FROM wall_playlist');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await basemap.stop();
  });

  it('reports what the policy blocks: a request to an origin it does not list is refused and seen', async () => {
    const page = await browser.newPage();
    const violations = cspViolations(page);
    try {
      await page.goto(`${stack.url}/wall`);
      await page.waitForSelector('[data-testid="sign-in-form"]', { timeout: 15_000 });
      // 127.0.0.2 is not this origin nor the base map's: the browser must refuse before any connection.
      const outcome = await page.evaluate(`fetch('http://127.0.0.2:9/exfiltrate').then(() => 'sent', () => 'refused')`);
      expect(outcome).toBe('refused');
      await eventually(() => violations.some((v) => v.includes('connect-src')), 5_000, 'the violation in the console');
      expect(violations.every((v) => v.includes('127.0.0.2'))).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('draws the wall over a base map from the configured host: its style and tiles load, nothing is refused', async () => {
    const page = await browser.newPage({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1 });
    const violations = cspViolations(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${stack.url}/wall?kiosk=${kioskToken}`);
      await page.waitForSelector('[data-testid="wall-map"][data-segments="21"]', { timeout: 60_000 });
      await mapFitsItsFrame(page);
      expect(basemap.requests).toContain('/style.json');
      expect(basemap.requests.some((p) => p.startsWith('/tiles/'))).toBe(true);
      await page.screenshot({ path: screenshotPath('wall-1080-basemap') });
      expect(errors).toEqual([]);
      expect(violations).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('renders Swagger UI at /api/docs under its own policy, without a violation', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const violations = cspViolations(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${stack.url}/api/docs`);
      await page.waitForSelector('.swagger-ui .opblock', { timeout: 30_000 });
      // Swagger UI holds every operation of the description …
      const operations = await page.evaluate<number>(
        `window.ui.specSelectors.taggedOperations().reduce((n, tag) => n + tag.get('operations').size, 0)`,
      );
      expect(operations).toBeGreaterThan(100);
      // … and draws its list virtualised (only the rows in view are in the page): the last tag's
      // rows appear once scrolled to.
      await waitUntil(
        page,
        `window.scrollTo(0, document.body.scrollHeight); return document.querySelector('[id^="operations-system-"]') !== null`,
        {
          what: 'the last tag’s operations drawn after scrolling down',
        },
      );
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: screenshotPath('api-docs') });
      expect(errors).toEqual([]);
      expect(violations).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
