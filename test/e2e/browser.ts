import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type LaunchOptions, type Page } from 'playwright-core';

/** Debian's Chromium; override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium without a GPU. WebGL (MapLibre) then runs on SwiftShader through ANGLE:
 * Chromium 156 does that with the first four flags alone; `--enable-unsafe-swiftshader` keeps it
 * working on releases that no longer fall back to software WebGL by themselves.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--enable-unsafe-swiftshader',
];

/** The wall's two target screens (use with `deviceScaleFactor: 1`). */
export const WALL_VIEWPORTS = {
  fullHd: { width: 1920, height: 1080 },
  uhd: { width: 3840, height: 2160 },
} as const;

/**
 * Every page of the tests asks for reduced motion (a test may still say otherwise): the wall then
 * holds its critical outline and banner steady instead of pulsing, and software WebGL stops
 * redrawing the map continuously. Measured: a wall with one critical segment took 0.5–1.2 CPU
 * seconds per second in Chromium, and none measurable with reduced motion, on a 2-core machine
 * that runs two suites at once.
 */
const PAGE_DEFAULTS: BrowserContextOptions = { reducedMotion: 'reduce' };

export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
  // Playwright has no launch-wide context defaults: give them to the two ways tests open pages.
  const newContext = browser.newContext.bind(browser);
  const newPage = browser.newPage.bind(browser);
  browser.newContext = (contextOptions) => newContext({ ...PAGE_DEFAULTS, ...contextOptions });
  browser.newPage = (pageOptions) => newPage({ ...PAGE_DEFAULTS, ...pageOptions });
  return browser;
}

const SCREENSHOT_DIR = resolve(__dirname, '..', '..', 'test-output', 'screenshots');

/** The browser tests serve the built web app: said plainly when it is not there, instead of a blank page timing out. */
export function requireBuiltWebApp(): void {
  if (!existsSync(resolve(__dirname, '..', '..', 'apps', 'web', 'dist', 'index.html'))) {
    throw new Error('apps/web/dist is missing: run `npm run build:web` (npm test does)');
  }
}

/** `test-output/screenshots/<name>.png` (the folder is created; `test-output/` is git-ignored). */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const safe = name.replace(/\.png$/i, '').replace(/[^\w.-]+/g, '-');
  return join(SCREENSHOT_DIR, `${safe}.png`);
}

// Page-side checks are written as source text: this tier compiles without the DOM library.
const MAP_FITS_ITS_FRAME = `
  const frame = document.querySelector('[data-testid="wall-map"] .map-canvas');
  const canvas = frame && frame.querySelector('canvas');
  return Boolean(canvas) && Math.round(parseFloat(canvas.style.width)) === frame.clientWidth
    && Math.round(parseFloat(canvas.style.height)) === frame.clientHeight;`;
const TWO_FRAMES = 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))';

/**
 * Waits until a page-side check, given as the body of a function, answers a truthy value, and
 * returns it. Each poll is one `page.evaluate` of the body (DevTools evaluation, which the page's
 * Content-Security-Policy allows). Not `page.waitForFunction` with text: Playwright takes text as
 * an expression, so a function's source is a function object — truthy — and the wait ends at once.
 */
export async function waitUntil<T = unknown>(
  page: Page,
  body: string,
  { timeout = 30_000, polling = 100, what = 'a page-side condition' }: { timeout?: number; polling?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeout;
  const expression = `(() => {${body}\n})()`;
  for (;;) {
    const value = await page.evaluate<T>(expression);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}:\n${body.trim()}`);
    await new Promise((resolve) => setTimeout(resolve, polling));
  }
}

/** Two animation frames have passed: what the page changed before has been painted. */
export async function painted(page: Page): Promise<void> {
  await page.evaluate(TWO_FRAMES);
}

/**
 * The wall map's canvas has the size of its frame (MapLibre follows a window resize by itself)
 * and has been painted at that size: what a screenshot should show.
 */
export async function mapFitsItsFrame(page: Page, timeout = 15_000): Promise<void> {
  await waitUntil(page, MAP_FITS_ITS_FRAME, { timeout, what: 'the map canvas to fill its frame' });
  await painted(page);
}

/**
 * Content-Security-Policy violations the page reports from now on: Chromium writes each one to
 * the console ("Refused to … because it violates the following Content Security Policy
 * directive …"), workers' included. The list fills as the page runs; assert on it at the end.
 */
export function cspViolations(page: Page): string[] {
  const found: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) found.push(message.text());
  });
  return found;
}

/** Signs in through the sign-in form the page shows for lack of a session. */
export async function signInThroughForm(page: Page, username: string, password: string): Promise<void> {
  await page.waitForSelector('[data-testid="sign-in-form"]', { timeout: 15_000 });
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.click('[data-testid="sign-in-form"] button[type="submit"]');
}

/**
 * A page in a context of its own (1920×1080 unless told), at `url` and signed in there through the
 * form; `errors` collects the page's Content-Security-Policy violations and uncaught errors. With
 * `live: false` the page's live connection never opens: a tab whose socket is down, showing what
 * it read last. The caller closes the context.
 */
export async function openSignedIn(
  browser: Browser,
  url: string,
  user: { username: string; password: string },
  options: { context?: BrowserContextOptions; live?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: WALL_VIEWPORTS.fullHd, deviceScaleFactor: 1, ...options.context });
  if (options.live === false) await context.routeWebSocket(/\/socket\.io\//, (socket) => socket.close());
  const page = await context.newPage();
  const errors = cspViolations(page);
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await signInThroughForm(page, user.username, user.password);
  return { context, page, errors };
}
