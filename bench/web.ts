/**
 * npm run bench:web — the wall in headless Chromium, from the built web app the API serves.
 *
 * Against a throwaway database with the demo city (the API and the worker as their own
 * processes, one calm round of the event's crowd counts ingested so the scene has values):
 * 1. Time to the wall's map fully rendered: a cold load of the kiosk link (new browser context,
 *    empty cache) until the page shows the scene's segments drawn (`segments-ready`), the district
 *    outlines loaded (`data-districts`) and the map idle (every tile and source loaded, the camera
 *    at rest: `data-map-idle`, set by MapView, in ms since navigation start). Baseline in the same
 *    run, same viewport: a bare page on the same origin with MapLibre alone (the same release, from
 *    its published build, which the app's chunk is bundled from), the wall's base style and
 *    bounds, in a container of the wall map's size, until its first `idle`: what drawing the base
 *    map costs with no app around it. BENCH_RUNS cold loads of each, alternated; p50/p95.
 * 2. JavaScript per page: every script the page loads on a cold load (module chunks and the map's
 *    worker): unpacked, as sent (the API sends the build's brotli files to Chromium) and gzipped
 *    (what a client without brotli gets: the build's level-9 gzip, computed the same here).
 *    Budget (issue 9): ≤ 1 MB gzipped for `/wall`.
 * 3. Heap: the wall open on its event scene, driven by a stream of socket updates published through
 *    the same Redis emitter as the worker's, at the live cadence compressed BENCH_SPEEDUP times:
 *    every indicator the wall shows gets its values every 5 s (the demo feeds' interval), an alert
 *    fires every 15 s on a segment (a third of them critical) and resolves 30 s later, and feed
 *    health comes every 15 s. The main thread's JS heap after forced garbage collection (CDP
 *    `HeapProfiler.collectGarbage`, `Runtime.getHeapUsage`), once the page has applied everything
 *    sent (a marker alert is on the list): after the load, after one simulated minute and after
 *    one simulated hour. The ratio hour / minute is the figure; a wall whose stores are bounded
 *    stays near 1. MapLibre's workers (they cut tiles and lay out labels) have heaps of their own,
 *    measured the same way through the browser's DevTools connection to each dedicated worker.
 * Benchmarks are not tests: nothing here asserts a time.
 */
import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import {
  GLYPHS_PATH,
  indicatorChannel,
  type AlertView,
  type AppConfigView,
  type AreaView,
  type FeedHealthView,
  type IndicatorDefinitionView,
  type IndicatorValuesEvent,
  type SceneView,
} from '@cityops/contracts';
import { LivePublisher } from '@cityops/core';
import { benchEnvironment, spawnApi, spawnWorker, step } from './support/bench-stack';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SPEEDUP = Number(process.env.BENCH_SPEEDUP ?? 60);
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** As the e2e tests launch it; SwiftShader (software WebGL) needs the last flag on newer releases. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-unsafe-swiftshader'];
const VIEWPORT = { width: 1920, height: 1080 };
const WALL_JS_BUDGET_GZIP = 1024 * 1024;
/** The live cadence being simulated. */
const VALUES_EVERY_S = 5;
const ALERT_EVERY_S = 15;
const ALERT_LASTS_S = 30;
const HEALTH_EVERY_S = 15;
/** Simulated hours (a heap point after each); the figure is the first hour against the first minute. */
const HOURS = Number(process.env.BENCH_HOURS ?? 1);
const SIMULATED_S = HOURS * 3600;
const FIRST_MINUTE_S = 60;
const WEB_DIST = resolve(__dirname, '../../apps/web/dist');
const MAPLIBRE_DIST = resolve(__dirname, '../../node_modules/maplibre-gl/dist');
/** The offline style's background (apps/web/src/map/base-style.ts; the web app is not compiled for Node). */
const OFFLINE_BACKGROUND = '#060c17';

const quantile = (samples: number[], q: number) => {
  const s = [...samples].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t)));

/**
 * Page-side code is given as source text (this tier compiles without the DOM library), as
 * expressions evaluated afresh at each poll: Playwright's waitForFunction takes text as an
 * expression, so a function's source would be a (truthy) function and end the wait at once.
 */
const WALL_RENDERED = `(() => {
  const frame = document.querySelector('[data-testid="wall-map"]');
  if (!frame || !frame.dataset.districts || !document.querySelector('[data-testid="segments-ready"]')) return false;
  return Boolean(frame.dataset.mapIdle);
})()`;
/** Notes when the map frame and the drawn segments first appear (run before the page's own scripts; stops once both were seen). */
const WALL_STEP_OBSERVER = `
window.__benchSeen = {};
const benchObserver = new MutationObserver(() => {
  const seen = window.__benchSeen;
  const now = Math.round(performance.now());
  if (seen.frame === undefined && document.querySelector('[data-testid="wall-map"]')) seen.frame = now;
  if (seen.segments === undefined && document.querySelector('[data-testid="segments-ready"]')) seen.segments = now;
  if (seen.frame !== undefined && seen.segments !== undefined) benchObserver.disconnect();
});
benchObserver.observe(document, { subtree: true, childList: true });`;
/** Where the time went: DOMContentLoaded, the map frame mounted, the segments drawn, the last and the slowest response. */
const WALL_STEPS = `(() => {
  const seen = window.__benchSeen || {};
  const nav = performance.getEntriesByType('navigation')[0];
  let last = null;
  let slowest = null;
  for (const r of performance.getEntriesByType('resource')) {
    if (!last || r.responseEnd > last.responseEnd) last = r;
    if (!slowest || r.duration > slowest.duration) slowest = r;
  }
  return {
    domContentLoaded: nav ? Math.round(nav.domContentLoadedEventEnd) : NaN,
    frame: seen.frame ?? NaN,
    segments: seen.segments ?? NaN,
    lastResponse: last ? Math.round(last.responseEnd) : NaN,
    lastUrl: last ? decodeURIComponent(new URL(last.name).pathname) : '',
    slowest: slowest ? Math.round(slowest.duration) : NaN,
    slowestUrl: slowest ? decodeURIComponent(new URL(slowest.name).pathname) : '',
  };
})()`;
const BARE_RENDERED = 'Boolean(document.body.dataset.mapIdle)';

/** Polls a page-side expression (one `page.evaluate` each time, allowed under the page's CSP) until it is truthy. */
async function pageCondition(page: Page, expression: string, timeoutMs: number, pollMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<unknown>(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
    await sleep(pollMs);
  }
}

interface Api {
  url: string;
  get<T>(path: string): Promise<T>;
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `bench:web parameters: BENCH_RUNS=${RUNS} BENCH_SPEEDUP=${SPEEDUP} BENCH_HOURS=${HOURS} viewport ${VIEWPORT.width}×${VIEWPORT.height}`,
  );
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(`machine: load average ${load()} at the start (other work moves the absolute figures; the ratios of one run hold better)`);
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error('apps/web/dist is missing: run `npm run build:web`');

  const { config, env, drop } = await benchEnvironment();
  const children: ChildProcess[] = [];
  let browser: Browser | undefined;
  let publisher: LivePublisher | undefined;
  try {
    // One scene, as the wall shows it without a rotation: no playlist moves it on during the runs.
    const db = new Client({ connectionString: config.databaseUrl });
    await db.connect();
    await db.query('DELETE FROM wall_playlist');
    await db.end();

    const spawned = await spawnApi(env);
    children.push(spawned.child);
    children.push(spawnWorker(env));
    const api = await signIn(spawned.url, env.ADMIN_PASSWORD ?? '');
    const appConfig = await api.get<AppConfigView>('/api/app-config');
    const scene = appConfig.scenes.find((s) => s.kind === 'event' && s.zoneSet && s.indicatorKey);
    if (!scene?.zoneSet || !scene.indicatorKey) throw new Error('the demo has no event scene');
    const zones = await api.get<AreaView[]>(`/api/areas?zoneSet=${encodeURIComponent(scene.zoneSet)}&geometry=true`);
    await calmRound(api, env.SIMULATOR_TOKEN ?? '', scene, zones);

    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const wallUrl = `${api.url}/wall?scene=${encodeURIComponent(scene.key)}&kiosk=${env.KIOSK_TOKEN}`;

    step(`time to the wall's map rendered: ${RUNS} cold loads of the wall and of the bare map`);
    const rendered = await timeRendering(browser, api, appConfig, wallUrl);

    step('JavaScript per page');
    const pages = await scriptsPerPage(browser, api, env.ADMIN_PASSWORD ?? '', wallUrl);

    step(`heap under ${HOURS} simulated hour(s) of updates, ${SPEEDUP}× faster than live`);
    publisher = new LivePublisher(config);
    const heap = await heapUnderUpdates(browser, api, publisher, scene, zones, wallUrl);

    report(rendered, pages, heap);
    console.log(`machine: load average ${load()} at the end; the run took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await browser?.close();
    await publisher?.onApplicationShutdown();
    for (const child of children) child.kill();
    await drop();
  }
}

async function signIn(url: string, password: string): Promise<Api> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  const { accessToken } = (await res.json()) as { accessToken: string };
  return {
    url,
    get: async <T>(path: string) => {
      const answer = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
      if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}`);
      return (await answer.json()) as T;
    },
  };
}

/** One round of calm crowd counts through the ingest API; waits until the worker made the scene's values of them. */
async function calmRound(api: Api, feedToken: string, scene: SceneView, zones: AreaView[]): Promise<void> {
  if (!scene.feedKey) throw new Error(`scene ${scene.key} names no feed`);
  const ts = new Date(Date.now() - 10_000).toISOString();
  const res = await fetch(`${api.url}/api/feeds/${scene.feedKey}/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${feedToken}` },
    body: JSON.stringify({
      records: zones.map((z) => ({
        id: `${z.code}-calm`,
        entity: z.code,
        metric: 'headcount',
        value: Math.round((z.capacity ?? 1000) * 0.4),
        ts,
        area: z.code,
      })),
    }),
  });
  if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  for (let i = 0; ; i++) {
    const latest = await api.get<IndicatorValuesEvent>(`/api/indicators/${encodeURIComponent(scene.indicatorKey ?? '')}/latest`);
    if (latest.values.length > 0) return;
    if (i > 120) throw new Error('the worker made no values of the calm round');
    await sleep(500);
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Time to rendered

interface Rendered {
  wall: number[];
  steps: WallSteps[];
  bare: number[];
  mapSize: { width: number; height: number };
}

async function timeRendering(browser: Browser, api: Api, appConfig: AppConfigView, wallUrl: string): Promise<Rendered> {
  const wall: number[] = [];
  const steps: WallSteps[] = [];
  const bare: number[] = [];
  let mapSize = { width: VIEWPORT.width, height: VIEWPORT.height };
  // One warm-up of each (Chromium's own start-up, the API's first answers), not counted.
  for (let run = -1; run < RUNS; run++) {
    const w = await coldLoad(browser, async (page) => {
      await page.addInitScript(WALL_STEP_OBSERVER);
      await page.goto(wallUrl);
      return wallRendered(page);
    });
    mapSize = { width: w.width, height: w.height };
    const b = await coldLoad(browser, async (page) => {
      await bareMapRoute(page, api.url, appConfig, mapSize);
      await page.goto(`${api.url}/__bench/bare-map.html`);
      await pageCondition(page, BARE_RENDERED, 120_000, 50);
      return { idleAt: Number(await page.getAttribute('body', 'data-map-idle')) };
    });
    if (run < 0) continue;
    wall.push(w.idleAt);
    steps.push(w.steps);
    bare.push(b.idleAt);
  }
  return { wall, steps, bare, mapSize };
}

/** When the wall's map was first rendered and idle (ms since navigation start), and its size. */
interface WallSteps {
  domContentLoaded: number;
  frame: number;
  segments: number;
  lastResponse: number;
  lastUrl: string;
  slowest: number;
  slowestUrl: string;
}

async function wallRendered(page: Page): Promise<{ idleAt: number; width: number; height: number; steps: WallSteps }> {
  for (;;) {
    await pageCondition(page, WALL_RENDERED, 120_000, 50);
    const frame = page.locator('[data-testid="wall-map"]');
    // The mark goes when the map loads or moves again; then the next idle is the one.
    const idleAt = await frame.getAttribute('data-map-idle');
    const box = await frame.boundingBox();
    if (idleAt && box) {
      const steps = await page.evaluate<WallSteps>(WALL_STEPS);
      return { idleAt: Number(idleAt), width: Math.round(box.width), height: Math.round(box.height), steps };
    }
  }
}

async function coldLoad<T>(browser: Browser, load: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  try {
    return await load(await context.newPage());
  } finally {
    await context.close();
  }
}

/**
 * The baseline page, answered by the browser itself on the API's origin (so the style's glyphs
 * and tiles come from the same server): MapLibre's published build and worker, the base style the
 * wall uses (the configured base map's, else the offline style), the city's bounds.
 */
async function bareMapRoute(page: Page, origin: string, appConfig: AppConfigView, size: { width: number; height: number }): Promise<void> {
  let style: unknown;
  if (appConfig.basemapStyleUrl) {
    const url = new URL(appConfig.basemapStyleUrl, origin);
    if (appConfig.basemapStyleUrl.startsWith('/')) url.searchParams.set('lang', 'zh');
    style = url.href;
  } else {
    style = {
      version: 8,
      name: 'cityops-offline',
      glyphs: `${origin}${GLYPHS_PATH}`,
      sources: {},
      layers: [{ id: 'background', type: 'background', paint: { 'background-color': OFFLINE_BACKGROUND } }],
    };
  }
  const html = `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/__bench/maplibre/maplibre-gl.css">
<style>html,body{margin:0;background:#000}#map{width:${size.width}px;height:${size.height}px}</style></head>
<body><div id="map"></div><script type="module">
import { Map, setWorkerUrl } from '/__bench/maplibre/maplibre-gl.mjs';
setWorkerUrl(new URL('/__bench/maplibre/maplibre-gl-worker.mjs', location.href).href);
const map = new Map({ container: 'map', style: ${JSON.stringify(style)}, bounds: ${JSON.stringify(appConfig.city.bounds)},
  fitBoundsOptions: { padding: 24 }, interactive: false, attributionControl: false, fadeDuration: 0, localIdeographFontFamily: false });
map.on('idle', () => { document.body.dataset.mapIdle = String(Math.round(performance.now())); });
</script></body></html>`;
  await page.route(`${origin}/__bench/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/__bench/bare-map.html') return route.fulfill({ status: 200, contentType: 'text/html', body: html });
    const file = path.replace('/__bench/maplibre/', '');
    if (!/^[\w.-]+$/.test(file)) return route.fulfill({ status: 404 });
    const contentType = file.endsWith('.css') ? 'text/css' : 'text/javascript';
    return route.fulfill({ status: 200, contentType, body: readFileSync(join(MAPLIBRE_DIST, file)) });
  });
}

// ---------------------------------------------------------------------------------------------
// 2. JavaScript per page

type SessionState = Awaited<ReturnType<BrowserContext['storageState']>>;

interface PageScripts {
  name: string;
  files: number;
  raw: number;
  /** Body bytes on the wire, as the API encoded them. */
  sent: number;
  gzip: number;
}

async function scriptsPerPage(browser: Browser, api: Api, password: string, wallUrl: string): Promise<PageScripts[]> {
  const results: PageScripts[] = [];
  // The sign-in form (what a browser without a session sees), and a session for the other pages.
  const signInContext = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const signInPage = await signInContext.newPage();
  results.push(
    await measureScripts('sign-in form', signInPage, async () => {
      await signInPage.goto(`${api.url}/admin`);
      await signInPage.waitForSelector('[data-testid="sign-in-form"]', { timeout: 60_000 });
    }),
  );
  await signInPage.fill('input[name="username"]', 'admin');
  await signInPage.fill('input[name="password"]', password);
  await signInPage.click('[data-testid="sign-in-form"] button[type="submit"]');
  await signInPage.waitForSelector('.admin', { timeout: 60_000 });
  // The refresh token turns over at each use (a used one ends the session): each page hands the
  // next the session as it left it.
  let session: SessionState = await signInContext.storageState();
  await signInContext.close();

  const wall = await measureFresh(browser, 'wall (kiosk link)', undefined, async (page) => {
    await page.goto(wallUrl);
    await pageCondition(page, WALL_RENDERED, 120_000, 100);
  });
  results.push(wall.scripts);
  const signedIn: [string, string, string][] = [
    ['home', '/', '.home-links'],
    ['analyst map', '/map', '[data-testid="layer-toggle"]'],
    ['catalog', '/catalog', '[data-testid="catalog-department"]'],
    ['silences', '/silences', '[data-testid="signed-in-user"]'],
    ['admin', '/admin', '[data-testid="user-row"]'],
  ];
  for (const [name, path, selector] of signedIn) {
    const measured = await measureFresh(browser, `${name} (${path})`, session, async (page) => {
      await page.goto(`${api.url}${path}`, { waitUntil: 'networkidle' });
      await page.waitForSelector(selector, { timeout: 60_000 });
    });
    results.push(measured.scripts);
    session = measured.session;
  }
  return results;
}

async function measureFresh(
  browser: Browser,
  name: string,
  session: SessionState | undefined,
  open: (page: Page) => Promise<void>,
): Promise<{ scripts: PageScripts; session: SessionState }> {
  // A new context: an empty cache, so every script is fetched.
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, storageState: session });
  try {
    const page = await context.newPage();
    const scripts = await measureScripts(name, page, () => open(page));
    return { scripts, session: await context.storageState() };
  } finally {
    await context.close();
  }
}

/** Scripts the page (and its workers) received while `open` ran and until the network was quiet. */
async function measureScripts(name: string, page: Page, open: () => Promise<void>): Promise<PageScripts> {
  const bodies = new Map<string, Promise<{ body: Buffer; sent: number } | null>>();
  const onResponse = (response: Response) => {
    const url = response.url();
    const isScript = response.request().resourceType() === 'script' || /\.m?js(\?|$)/.test(new URL(url).pathname);
    if (!isScript || bodies.has(url) || response.status() !== 200) return;
    bodies.set(
      url,
      Promise.all([response.body(), response.finished().then(() => response.request().sizes())]).then(
        ([body, sizes]) => ({ body, sent: sizes.responseBodySize }),
        () => null,
      ),
    );
  };
  page.context().on('response', onResponse);
  await open();
  await page.waitForLoadState('networkidle');
  page.context().off('response', onResponse);
  let raw = 0;
  let sent = 0;
  let gzip = 0;
  for (const got of await Promise.all(bodies.values())) {
    if (!got) continue;
    raw += got.body.length;
    sent += got.sent;
    gzip += gzipSync(got.body, { level: 9 }).length;
  }
  return { name, files: bodies.size, raw, sent, gzip };
}

// ---------------------------------------------------------------------------------------------
// 3. Heap under an hour of updates

interface HeapPoint {
  label: string;
  used: number;
  /** MapLibre's dedicated workers: their number and their heaps together. */
  workers: number;
  workersUsed: number;
  nodes: number;
  listeners: number;
  recentShown: string;
}

/**
 * The heaps of the browser's dedicated workers (MapLibre's), each after forced garbage collection.
 * Playwright speaks to pages, not to workers' DevTools targets: this attaches to each worker through
 * the browser's own DevTools session and sends it protocol messages (the non-flat way, which needs
 * no session routing of our own). The wall is the only page open while it runs.
 */
async function dedicatedWorkerHeaps(browser: Browser): Promise<() => Promise<number[]>> {
  const cdp = await browser.newBrowserCDPSession();
  const sessions = new Map<string, string>();
  const waiting = new Map<number, (reply: { result?: { usedSize?: number } }) => void>();
  let nextId = 0;
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    const reply = JSON.parse(event.message) as { id?: number; result?: { usedSize?: number } };
    const done = reply.id === undefined ? undefined : waiting.get(reply.id);
    if (reply.id !== undefined && done) {
      waiting.delete(reply.id);
      done(reply);
    }
  });
  const send = (sessionId: string, method: string) =>
    new Promise<{ result?: { usedSize?: number } }>((done, fail) => {
      const id = ++nextId;
      waiting.set(id, done);
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params: {} }) }).catch(fail);
    });
  return async () => {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const heaps: number[] = [];
    for (const target of targetInfos.filter((t) => t.type === 'worker')) {
      let sessionId = sessions.get(target.targetId);
      if (!sessionId) {
        sessionId = (await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })).sessionId;
        sessions.set(target.targetId, sessionId);
      }
      await send(sessionId, 'HeapProfiler.collectGarbage');
      await send(sessionId, 'HeapProfiler.collectGarbage');
      heaps.push((await send(sessionId, 'Runtime.getHeapUsage')).result?.usedSize ?? 0);
    }
    return heaps;
  };
}

async function heapUnderUpdates(
  browser: Browser,
  api: Api,
  publisher: LivePublisher,
  scene: SceneView,
  zones: AreaView[],
  wallUrl: string,
): Promise<{ points: HeapPoint[]; events: number; realSeconds: number; indicators: number; sockets: number }> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A reconnect replaces the alert store with a snapshot: said in the output when it happened.
  let sockets = 0;
  page.on('websocket', () => (sockets += 1));
  await page.goto(wallUrl);
  await pageCondition(page, WALL_RENDERED, 120_000, 100);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');

  // What the wall listens to: the scene's indicator and every vital sign, alerts, feed health.
  const definitions = (await api.get<IndicatorDefinitionView[]>('/api/indicators')).filter((d) => d.enabled);
  const districts = await api.get<AreaView[]>('/api/areas?level=district');
  const templates = await Promise.all(
    definitions.map(async (d) => {
      const latest = await api.get<IndicatorValuesEvent>(`/api/indicators/${encodeURIComponent(d.key)}/latest`);
      return latest.values.length > 0 ? latest : { ...latest, values: districts.map((a) => valueIn(a, 50)) };
    }),
  );
  const health = await api.get<FeedHealthView[]>('/api/feeds/health');
  const sceneDefinition = definitions.find((d) => d.key === scene.indicatorKey);
  if (!sceneDefinition) throw new Error(`indicator ${scene.indicatorKey} is not enabled`);

  const workerHeaps = await dedicatedWorkerHeaps(browser);
  const measure = async (label: string): Promise<HeapPoint> => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const workers = await workerHeaps();
    const counters = await cdp.send('Memory.getDOMCounters');
    const recentShown =
      (await page
        .locator('.alerts-recent-count')
        .textContent()
        .catch(() => null)) ?? '0';
    return {
      label,
      used: usedSize,
      workers: workers.length,
      workersUsed: workers.reduce((sum, w) => sum + w, 0),
      nodes: counters.nodes,
      listeners: counters.jsEventListeners,
      recentShown,
    };
  };
  /** A warning alert published last: once it is on the list, the page has applied everything sent before it. */
  // Sent again while it does not show: an event sent while the socket is away is lost (the
  // snapshot after a reconnect holds only the server's own alerts).
  const settle = async (at: number) => {
    const marker = alertView(randomUUID(), sceneDefinition, zones[0], 'warning', 'firing', at, null);
    for (let attempt = 1; ; attempt++) {
      publisher.publish('alerts', 'alert.changed', { change: 'fired', alert: marker });
      try {
        await page.waitForSelector(`[data-testid="alert-item"][data-alert-id="${marker.id}"]`, { timeout: 30_000 });
        return marker;
      } catch (error) {
        if (attempt >= 10) {
          await page.screenshot({ path: 'test-output/bench-web-marker-missing.png' });
          throw error;
        }
      }
    }
  };

  const points: HeapPoint[] = [await measure('after the load')];
  const startMs = Date.now();
  const realStart = performance.now();
  const open: { alert: AlertView; until: number }[] = [];
  let events = 0;
  let fired = 0;
  for (let t = VALUES_EVERY_S; t <= SIMULATED_S; t += VALUES_EVERY_S) {
    // Paced to the compressed clock: the wall gets the stream at SPEEDUP times the live rate.
    await sleep(realStart + (t * 1000) / SPEEDUP - performance.now());
    const at = startMs + t * 1000;
    for (const template of templates) {
      const values = template.values.map((v, i) => ({
        ...v,
        value: Number((v.value * (0.9 + 0.2 * Math.abs(Math.sin(t / 60 + i)))).toFixed(3)),
        ts: new Date(at).toISOString(),
      }));
      publisher.publish(indicatorChannel(template.indicatorKey), 'indicator.values', {
        ...template,
        computedAt: new Date(at).toISOString(),
        values,
      });
      events += 1;
    }
    if (t % ALERT_EVERY_S === 0) {
      const zone = zones[fired % zones.length];
      const level = (['notice', 'warning', 'critical'] as const)[fired % 3];
      const alert = alertView(randomUUID(), sceneDefinition, zone, level, 'firing', at, null);
      publisher.publish('alerts', 'alert.changed', { change: 'fired', alert });
      open.push({ alert, until: t + ALERT_LASTS_S });
      fired += 1;
      events += 1;
    }
    while (open.length > 0 && open[0].until <= t) {
      const { alert } = open.shift() ?? { alert: null };
      if (!alert) break;
      publisher.publish('alerts', 'alert.changed', { change: 'resolved', alert: resolvedOf(alert, at) });
      events += 1;
    }
    if (t % HEALTH_EVERY_S === 0 && health.length > 0) {
      publisher.publish('feeds', 'feed.health', { feeds: health.map((f) => ({ ...f, checkedAt: new Date(at).toISOString() })) });
      events += 1;
    }
    if (t === FIRST_MINUTE_S || t % 3600 === 0) {
      const marker = await settle(at);
      points.push(
        await measure(t === FIRST_MINUTE_S ? 'after 1 simulated minute' : `after ${t / 3600} simulated hour${t > 3600 ? 's' : ''}`),
      );
      publisher.publish('alerts', 'alert.changed', { change: 'resolved', alert: resolvedOf(marker, at) });
    }
  }
  const realSeconds = (performance.now() - realStart) / 1000;
  if (errors.length > 0) console.log(`  page errors during the stream: ${errors.slice(0, 5).join(' | ')}`);
  await context.close();
  return { points, events, realSeconds, indicators: templates.length, sockets };
}

function valueIn(area: AreaView, value: number): IndicatorValuesEvent['values'][number] {
  return {
    areaId: area.id,
    areaCode: area.code,
    areaName: area.name,
    seq: area.seq,
    value,
    numerator: null,
    denominator: null,
    ts: new Date().toISOString(),
  };
}

function centerOf(area: AreaView): [number, number] | null {
  const ring = area.geometry?.coordinates[0]?.[0];
  if (!ring || ring.length === 0) return null;
  const sum = ring.reduce(([x, y], [lon, lat]) => [x + lon, y + lat], [0, 0]);
  return [sum[0] / ring.length, sum[1] / ring.length];
}

function alertView(
  id: string,
  indicator: IndicatorDefinitionView,
  zone: AreaView,
  level: AlertView['level'],
  state: AlertView['state'],
  at: number,
  resolvedAt: number | null,
): AlertView {
  const iso = new Date(at).toISOString();
  return {
    id,
    indicatorKey: indicator.key,
    indicatorName: indicator.name,
    indicatorNameEn: indicator.nameEn,
    theme: indicator.theme,
    unit: indicator.unit,
    format: null,
    areaId: zone.id,
    areaCode: zone.code,
    areaName: zone.name,
    center: centerOf(zone),
    title: `${indicator.name} · ${zone.name}`,
    level,
    state,
    stale: false,
    staleSince: null,
    value: level === 'critical' ? 1.12 : level === 'warning' ? 0.95 : 0.85,
    threshold: level === 'critical' ? 1.1 : level === 'warning' ? 0.9 : 0.8,
    op: '>=',
    startedAt: iso,
    firedAt: iso,
    resolvedAt: resolvedAt === null ? null : new Date(resolvedAt).toISOString(),
    resolvedBy: null,
    resolveReason: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    ackComment: null,
    silencedBy: null,
    escalatedAt: null,
    escalatedTo: null,
    updatedAt: iso,
  };
}

function resolvedOf(alert: AlertView, at: number): AlertView {
  return { ...alert, state: 'resolved', resolvedAt: new Date(at).toISOString(), updatedAt: new Date(at).toISOString() };
}

// ---------------------------------------------------------------------------------------------

function report(
  rendered: Rendered,
  pages: PageScripts[],
  heap: { points: HeapPoint[]; events: number; realSeconds: number; indicators: number; sockets: number },
): void {
  const w = { p50: quantile(rendered.wall, 0.5), p95: quantile(rendered.wall, 0.95) };
  const b = { p50: quantile(rendered.bare, 0.5), p95: quantile(rendered.bare, 0.95) };
  console.log('');
  console.log(`1. time from navigation start to the map rendered and idle (cold cache, ${RUNS} loads each)`);
  console.log(
    `  baseline  bare MapLibre page, same base style, bounds, map size ${rendered.mapSize.width}×${rendered.mapSize.height}: p50 ${ms(b.p50)}  p95 ${ms(b.p95)}  [${rendered.bare.join(', ')}]`,
  );
  console.log(
    `  wall      kiosk link → session, scene, segments, districts, boundaries, labels:  p50 ${ms(w.p50)}  p95 ${ms(w.p95)}  [${rendered.wall.join(', ')}]`,
  );
  console.log(`  ratio     wall / bare: p50 ${(w.p50 / b.p50).toFixed(2)}×  p95 ${(w.p95 / b.p95).toFixed(2)}×`);
  const p50 = (pick: (s: WallSteps) => number) => ms(quantile(rendered.steps.map(pick), 0.5));
  const paths = (pick: (s: WallSteps) => string) => [...new Set(rendered.steps.map(pick))].join(', ');
  console.log(
    `  the wall's steps (p50): DOMContentLoaded ${p50((s) => s.domContentLoaded)}, map frame mounted ${p50((s) => s.frame)}, segments drawn ${p50((s) => s.segments)}, last response ended ${p50((s) => s.lastResponse)}, idle ${ms(w.p50)}`,
  );
  console.log(`  last response: ${paths((s) => s.lastUrl)}; slowest (p50 ${p50((s) => s.slowest)}): ${paths((s) => s.slowestUrl)}`);

  console.log('');
  console.log(
    '2. JavaScript per page (cold load; unpacked, as sent by the API to Chromium (brotli), and gzipped (level 9, what a client without brotli gets))',
  );
  for (const p of pages) {
    console.log(
      `  ${p.name.padEnd(24)} ${String(p.files).padStart(3)} files  raw ${kb(p.raw).padStart(10)}  sent ${kb(p.sent).padStart(9)}  gzip ${kb(p.gzip).padStart(9)}`,
    );
  }
  const wall = pages.find((p) => p.name.startsWith('wall'));
  if (wall) {
    console.log(
      `  budget    /wall ≤ ${kb(WALL_JS_BUDGET_GZIP)} gzipped: ${wall.gzip <= WALL_JS_BUDGET_GZIP ? 'meets' : 'MISSES'} it (${kb(wall.gzip)}, ${((wall.gzip / WALL_JS_BUDGET_GZIP) * 100).toFixed(0)}% of it)`,
    );
  }

  console.log('');
  console.log(
    `3. main-thread JS heap after forced GC, the wall under ${heap.events} socket events (${heap.indicators} indicators every ${VALUES_EVERY_S} s, an alert every ${ALERT_EVERY_S} s lasting ${ALERT_LASTS_S} s, feed health every ${HEALTH_EVERY_S} s) = ${HOURS} hour${HOURS > 1 ? 's' : ''} at the live cadence, sent in ${heap.realSeconds.toFixed(0)} s`,
  );
  for (const p of heap.points) {
    console.log(
      `  ${p.label.padEnd(26)} heap ${mb(p.used).padStart(9)}  MapLibre's ${p.workers} workers ${mb(p.workersUsed).padStart(9)}  DOM nodes ${String(p.nodes).padStart(6)}  listeners ${String(p.listeners).padStart(5)}  resolved alerts listed ${p.recentShown}`,
    );
  }
  const minute = heap.points.find((p) => p.label.includes('minute'));
  const hour = heap.points.find((p) => p.label.includes(' 1 simulated hour'));
  if (minute && hour) {
    console.log(`  ratio     hour / minute: heap ${(hour.used / minute.used).toFixed(2)}×  (${mb(hour.used - minute.used)} more)`);
    console.log(
      `  ratio     hour / minute: MapLibre's workers ${(hour.workersUsed / minute.workersUsed).toFixed(2)}×  (${mb(hour.workersUsed - minute.workersUsed)} more)`,
    );
  }
  console.log(
    `  socket connections opened by the page: ${heap.sockets}${heap.sockets > 1 ? ' (it reconnected: its alert store was replaced by a snapshot meanwhile)' : ''}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
