import type { CaseDetail, CasePage, CasePhotoView, DetectionResult, PublicFiledCase } from '@cityops/contracts';
import {
  DEMO_CASE_PEOPLE,
  DEMO_GRID_WORKERS,
  DEMO_HANDLERS,
  DEMO_OPERATOR,
  demoPersonPassword,
  VIDEO_ANALYTICS_FEED,
} from '../cases/demo-case-people';
import { createRandom, DEFAULT_DEMO_SEED, type Random } from '../seeded-random';
import { demoCasePhoto } from './case-photo';
import { caseSimulationPlaces, nearby, pointInGrid, type CasePlaces } from './case-places';
import {
  DEFAULT_CASE_CATEGORIES,
  DEFAULT_FATE_SHARES,
  DETECTION_KINDS,
  demoCreditCode,
  FILER_WEIGHTS,
  nextFilingGapMs,
  nextMove,
  pick,
  pickWeighted,
  planDetection,
  planFate,
  stepDelayMs,
  stepOf,
  type CaseCategories,
  type CaseFiler,
  type FateShares,
  type PeopleDirectory,
  type TrackedCase,
} from './case-plan';
import { demoFeedSecret } from './feed-keys';
import type { SimulatorLogger } from './feed-loop';

export interface CaseSimulatorOptions {
  apiUrl: string;
  simulatorToken: string;
  /** Cases filed an hour; every stage's delay is a few of the mean gaps between them. */
  casesPerHour: number;
  logger: SimulatorLogger;
  seed?: number;
  /** Steps run at once at most (filings, actions, reads). */
  concurrency?: number;
  /** Cases followed at most; past it nothing new is filed until some close. */
  maxTracked?: number;
  /** false: only the open cases of its streets are followed, nothing new is filed. */
  filing?: boolean;
  categories?: CaseCategories;
  fates?: FateShares;
  /** Weights of who files; default FILER_WEIGHTS. */
  filers?: Readonly<Record<CaseFiler, number>>;
  /** Where cases happen; default the simulated streets of the demo city. */
  places?: CasePlaces;
}

export interface CaseSimulatorCounts {
  filed: Record<string, number>;
  actions: Record<string, number>;
  detections: Record<string, number>;
  errors: number;
  tracked: number;
}

export interface RunningCaseSimulator {
  counts(): CaseSimulatorCounts;
  stop(): Promise<void>;
}

/** Public reports the simulator sends in 10 minutes at most (the API allows 5 per address by default): the rest are grid workers'. */
const PUBLIC_REPORTS_PER_10_MINUTES = 4;
const TEN_MINUTES = 600_000;
/** Requests slower than this are abandoned; the step is tried again later. */
const REQUEST_TIMEOUT_MS = 15_000;
/** The same failure is logged at most this often. */
const REPEAT_LOG_MS = 60_000;
const RECENT_SIGHTINGS = 20;

/** The API could not be reached (down, restarting): normal at start, retried later. */
class UnreachableError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** A simulated person's password was refused: the accounts were made from another token, or not at all. */
class SignInRefusedError extends Error {
  constructor(username: string) {
    super(
      `the API refused the sign-in of ${username} (HTTP 401): the demo people's passwords are derived from SIMULATOR_TOKEN by ` +
        '`cli.js prepare` (run by npm start) in the demo city; give the simulator the same SIMULATOR_TOKEN, or run prepare again',
    );
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

/**
 * The demo's cases flowing through the whole loop, driven over HTTP as the real clients do: grid
 * workers file on their beat with a photo, citizens and enterprises through the public report
 * endpoint, the video analysis posts detections; the operator merges duplicates, handlers accept
 * (some late: supervision begins), start and resolve with a photo, grid workers verify or send the
 * fix back, reporters rate and close. It follows at most `maxTracked` cases in memory, runs a few
 * steps at once, logs failures and goes on; at start it picks up the open cases of its streets.
 */
export function startCaseSimulator(options: CaseSimulatorOptions): RunningCaseSimulator {
  const { apiUrl, simulatorToken, logger } = options;
  const base = apiUrl.replace(/\/+$/, '');
  const meanGapMs = 3_600_000 / Math.max(1, options.casesPerHour);
  const tickMs = Math.min(5000, Math.max(100, meanGapMs / 4));
  const concurrency = options.concurrency ?? 4;
  const maxTracked = options.maxTracked ?? 60;
  const categories = options.categories ?? DEFAULT_CASE_CATEGORIES;
  const fates = options.fates ?? DEFAULT_FATE_SHARES;
  // A given seed replays the same decisions; by default each start draws its own (a restart does not repeat the last one).
  const random: Random =
    options.seed === undefined ? createRandom(DEFAULT_DEMO_SEED, `cases:${Date.now()}`) : createRandom(options.seed, 'cases');
  let places: CasePlaces | undefined = options.places;

  const tracked = new Map<string, TrackedCase>();
  const tokens = new Map<string, string>();
  const recentSightings: { kind: string; location: [number, number] }[] = [];
  const publicSent: number[] = [];
  const counts: CaseSimulatorCounts = { filed: {}, actions: {}, detections: {}, errors: 0, tracked: 0 };
  const bump = (m: Record<string, number>, k: string, n = 1) => (m[k] = (m[k] ?? 0) + n);
  const lastLogged = new Map<string, number>();
  const controller = new AbortController();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running = 0;
  let adopted = false;
  let nextFilingAt = Date.now();
  let wakeIdle: (() => void) | undefined;

  const people: PeopleDirectory = {
    operator: DEMO_OPERATOR.username,
    handler: (department) => DEMO_HANDLERS.find((h) => h.department === department)?.username ?? null,
    gridWorker: (gridCode) => DEMO_GRID_WORKERS.find((w) => w.scopes.some((s) => gridCode.startsWith(s)))?.username ?? null,
    fallbackDepartment: 'urban-management',
  };

  let apiSeen = false;
  /** Counts a failure; logs it the first time and then at most once a minute. */
  const logFailure = (key: string, fields: object, message: string, level: 'info' | 'warn' | 'error' = 'warn') => {
    counts.errors++;
    const now = Date.now();
    if ((lastLogged.get(key) ?? 0) > now - REPEAT_LOG_MS) return;
    lastLogged.set(key, now);
    logger[level](fields, message);
  };

  // ---- HTTP, as a client of the API ----

  const send = async (path: string, init: { method?: string; token?: string; body?: unknown; raw?: Buffer }): Promise<unknown> => {
    const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]);
    const headers: Record<string, string> = {};
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body: Uint8Array | string | undefined;
    if (init.raw) {
      headers['content-type'] = 'image/jpeg';
      body = new Uint8Array(init.raw);
    } else if (init.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.body);
    }
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { method: init.method ?? 'GET', headers, body, signal });
    } catch (error) {
      throw new UnreachableError(error);
    }
    if (!apiSeen) logger.info({ apiUrl: base }, 'API is up; simulating cases');
    apiSeen = true;
    const text = await res.text();
    if (!res.ok) throw new HttpError(res.status, text);
    return text ? JSON.parse(text) : null;
  };

  const signIn = async (username: string): Promise<string> => {
    const answer = (await send('/api/auth/login', {
      method: 'POST',
      body: { username, password: demoPersonPassword(simulatorToken, username) },
    }).catch((error: unknown) => {
      if (error instanceof HttpError && error.status === 401) throw new SignInRefusedError(username);
      throw error;
    })) as { accessToken: string };
    tokens.set(username, answer.accessToken);
    return answer.accessToken;
  };

  /** A call as one of the simulated people: signed in when needed, once more when the session ended. */
  const as = async <T>(username: string, path: string, init: { method?: string; body?: unknown; raw?: Buffer } = {}): Promise<T> => {
    const token = tokens.get(username) ?? (await signIn(username));
    try {
      return (await send(path, { ...init, token })) as T;
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 401) throw error;
      return (await send(path, { ...init, token: await signIn(username) })) as T;
    }
  };

  const detail = (code: string) => as<CaseDetail>(people.operator, `/api/cases/${encodeURIComponent(code)}`);

  // ---- filing ----

  const track = (code: string, t: Omit<TrackedCase, 'code' | 'fate' | 'rejected' | 'nextAt'>) => {
    tracked.set(code, {
      code,
      ...t,
      fate: planFate(random, fates),
      rejected: false,
      nextAt: Date.now() + stepDelayMs(random, 'dispatch', meanGapMs),
    });
  };

  const publicBudgetLeft = () => {
    const since = Date.now() - TEN_MINUTES;
    while (publicSent.length && publicSent[0] < since) publicSent.shift();
    return publicSent.length < PUBLIC_REPORTS_PER_10_MINUTES;
  };

  /** A grid worker files on their beat; a duplicate is filed by the worker of the original's street, beside it. */
  const fileAsGridWorker = async (
    p: CasePlaces,
    category?: string,
    duplicateOf?: TrackedCase & { location: [number, number]; gridCode: string },
  ) => {
    const grid = pick(random, p.grids);
    const worker = people.gridWorker(duplicateOf?.gridCode ?? grid.code);
    if (!worker) return;
    const chosen = category ?? pick(random, categories.grid_worker);
    const location = duplicateOf ? nearby(random, duplicateOf.location, 15) : pointInGrid(random, grid);
    const filed = await as<CaseDetail>(worker, '/api/cases', {
      method: 'POST',
      body: {
        category: chosen,
        description: duplicateOf ? `同一问题再次上报（演示 demo）` : `网格巡查发现问题（演示 demo）`,
        location,
        clientRequestId: `demo-sim-${Date.now().toString(36)}-${Math.floor(random() * 1e9).toString(36)}`,
      },
    });
    const photo = await demoCasePhoto(chosen, 'report', `${filed.code} ${new Date().toISOString()}`);
    await as<CasePhotoView>(worker, `/api/cases/${filed.code}/photos?stage=report`, { method: 'POST', raw: photo }).catch(
      // The case stands without it; a stop in the middle is no failure.
      (error: unknown) =>
        stopped || logFailure('photo', { err: String(error), code: filed.code }, 'the report photo of a simulated case was not taken'),
    );
    track(filed.code, { filer: 'grid_worker', reporter: worker, token: null, duplicateOf: duplicateOf?.code ?? null });
    bump(counts.filed, duplicateOf ? 'duplicate' : 'grid_worker');
  };

  const filePublic = async (p: CasePlaces, enterprise: boolean) => {
    if (!publicBudgetLeft()) return fileAsGridWorker(p);
    const grid = pick(random, p.grids);
    const category = pick(random, enterprise ? categories.enterprise : categories.citizen);
    publicSent.push(Date.now());
    let filed: PublicFiledCase;
    try {
      filed = (await send('/api/public/cases', {
        method: 'POST',
        body: {
          grid: grid.code,
          category,
          description: enterprise ? '企业诉求：请协助办理（演示 demo）' : '市民反映问题（演示 demo）',
          location: pointInGrid(random, grid),
          ...(enterprise
            ? { enterprise: { name: `演示科技有限公司${Math.floor(random() * 90 + 10)}号`, creditCode: demoCreditCode(random) } }
            : {}),
        },
      })) as PublicFiledCase;
    } catch (error) {
      // Over the address's budget: a grid worker reports instead.
      if (error instanceof HttpError && error.status === 429) return fileAsGridWorker(p);
      throw error;
    }
    track(filed.code, { filer: enterprise ? 'enterprise' : 'citizen', reporter: null, token: filed.token, duplicateOf: null });
    bump(counts.filed, enterprise ? 'enterprise' : 'citizen');
  };

  const postDetections = async (p: CasePlaces) => {
    const plan = planDetection(random, recentSightings.length > 0);
    let kind: string;
    let location: [number, number];
    if (plan.kind === 'repeat') {
      const seen = pick(random, recentSightings);
      kind = seen.kind;
      location = nearby(random, seen.location, 10);
    } else {
      kind = pick(random, DETECTION_KINDS);
      const camera = p.cameras.length ? pick(random, p.cameras) : null;
      location = camera ? nearby(random, camera.location, 25) : pointInGrid(random, pick(random, p.grids));
    }
    const id = `demo-${Date.now().toString(36)}-${Math.floor(random() * 1e9).toString(36)}`;
    const result = (await send(`/api/feeds/${VIDEO_ANALYTICS_FEED.key}/detections`, {
      method: 'POST',
      token: demoFeedSecret(simulatorToken, VIDEO_ANALYTICS_FEED.key),
      body: { detections: [{ id, kind, confidence: plan.confidence, location, detectedAt: new Date().toISOString() }] },
    })) as DetectionResult;
    for (const r of result.results) {
      bump(counts.detections, r.verdict);
      if (r.verdict === 'filed' && r.caseCode) {
        track(r.caseCode, { filer: 'machine', reporter: null, token: null, duplicateOf: null });
        recentSightings.push({ kind, location });
        if (recentSightings.length > RECENT_SIGHTINGS) recentSightings.shift();
      }
      if (r.verdict === 'rejected') logFailure('detection-rejected', { reason: r.reason }, 'the API rejected a simulated detection');
    }
  };

  const fileNext = async () => {
    const p = (places ??= caseSimulationPlaces());
    if (p.grids.length === 0) throw new Error('none of the simulated streets is in the demo city');
    const filer = pickWeighted(random, options.filers ?? FILER_WEIGHTS);
    if (filer === 'detection') return postDetections(p);
    if (filer === 'citizen' || filer === 'enterprise') return filePublic(p, filer === 'enterprise');
    if (filer === 'duplicate') {
      const open = [...tracked.values()].filter((t) => t.filer !== 'machine' && !t.duplicateOf);
      if (open.length) {
        const original = pick(random, open);
        const d = await detail(original.code);
        if (['reported', 'dispatched'].includes(d.state))
          return fileAsGridWorker(p, d.category, { ...original, location: d.location, gridCode: d.gridCode });
      }
    }
    return fileAsGridWorker(p);
  };

  // ---- moving cases along ----

  const step = async (t: TrackedCase) => {
    const now = Date.now();
    const d = await detail(t.code).catch((error: unknown) => {
      if (error instanceof HttpError && error.status === 404) return null;
      throw error;
    });
    if (!d) {
      tracked.delete(t.code);
      return;
    }
    const move = nextMove(d, t, people, { now, meanGapMs, maxLateMs: 30 * meanGapMs, maxLateLeadMs: 240 * meanGapMs }, random);
    switch (move.kind) {
      case 'drop':
        logger.debug({ code: t.code, why: move.why }, 'no longer following a simulated case');
        tracked.delete(t.code);
        return;
      case 'wait':
        t.nextAt = now + move.ms;
        return;
      case 'act':
        await as(move.as, `/api/cases/${t.code}/actions`, { method: 'POST', body: { action: move.action, ...move.body } });
        bump(counts.actions, move.action);
        break;
      case 'resolve': {
        const photo = await as<CasePhotoView>(move.as, `/api/cases/${t.code}/photos?stage=resolve`, {
          method: 'POST',
          raw: await demoCasePhoto(d.category, 'resolve', `${t.code} ${new Date().toISOString()}`),
        });
        await as(move.as, `/api/cases/${t.code}/actions`, {
          method: 'POST',
          body: { action: 'resolve', photoIds: [photo.id], expectedState: d.state, comment: '已处置完毕，附处置后照片（演示 demo）' },
        });
        bump(counts.actions, 'resolve');
        break;
      }
      case 'rate':
        await send(`/api/public/cases/${move.token}/rating`, { method: 'POST', body: { rating: move.rating } });
        bump(counts.actions, 'close');
        break;
    }
    t.nextAt = Date.now() + stepDelayMs(random, stepOf(move), meanGapMs);
  };

  /** After a restart: the open cases of the simulated streets, followed again (the operator closes what citizens filed). */
  const adopt = async () => {
    const p = (places ??= caseSimulationPlaces());
    const streets = new Set(p.grids.map((g) => g.street));
    let before: string | null = null;
    do {
      const page: CasePage = await as<CasePage>(people.operator, `/api/cases?open=true&limit=100${before ? `&before=${before}` : ''}`);
      for (const c of page.items) {
        if (tracked.size >= maxTracked) return;
        if (![...streets].some((s) => c.gridCode.startsWith(s)) || tracked.has(c.code)) continue;
        tracked.set(c.code, {
          code: c.code,
          filer: 'adopted',
          reporter: null,
          token: null,
          duplicateOf: null,
          fate: { ...planFate(random, fates), lateAccept: false },
          rejected: false,
          nextAt: Date.now() + stepDelayMs(random, 'dispatch', meanGapMs),
        });
      }
      before = page.next;
    } while (before && tracked.size < maxTracked);
    if (tracked.size) logger.info({ cases: tracked.size }, 'following the open simulated cases again');
  };

  const run = (what: string, job: () => Promise<void>) => {
    running++;
    void job()
      .catch((error: unknown) => {
        if (stopped) return;
        if (error instanceof UnreachableError && !apiSeen) {
          logFailure('waiting', { apiUrl: base }, 'waiting for the API to come up', 'info');
          return;
        }
        if (error instanceof SignInRefusedError) {
          logFailure('sign-in', {}, error.message, 'error');
          return;
        }
        const status = error instanceof HttpError ? error.status : null;
        logFailure(
          `${what}:${status ?? 'x'}`,
          { what, status, error: error instanceof Error ? error.message : String(error) },
          status === null ? 'a simulated case step failed (API down?); trying again later' : 'the API refused a simulated case step',
        );
      })
      .finally(() => {
        running--;
        if (running === 0) wakeIdle?.();
      });
  };

  const tick = () => {
    if (stopped) return;
    const now = Date.now();
    if (!adopted && running < concurrency) {
      adopted = true;
      run('adopt', () =>
        adopt().catch((error: unknown) => {
          adopted = false;
          throw error;
        }),
      );
    } else if (adopted) {
      const due = [...tracked.values()].filter((t) => t.nextAt <= now).sort((a, b) => a.nextAt - b.nextAt);
      for (const t of due) {
        if (running >= concurrency) break;
        // Not taken again until this step is done (or has failed: then a few gaps later).
        t.nextAt = now + 3 * meanGapMs + REQUEST_TIMEOUT_MS;
        run('step', () => step(t));
      }
      if (options.filing !== false && now >= nextFilingAt && running < concurrency && tracked.size < maxTracked) {
        nextFilingAt = now + nextFilingGapMs(random, meanGapMs);
        run('file', fileNext);
      }
    }
    counts.tracked = tracked.size;
    timer = setTimeout(tick, tickMs);
  };

  if (!DEMO_CASE_PEOPLE.length) throw new Error('no simulated people');
  tick();
  return {
    counts: () => ({ ...counts, tracked: tracked.size }),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      controller.abort();
      if (running > 0) await new Promise<void>((resolve) => (wakeIdle = resolve));
    },
  };
}
