import type { IngestRecord } from '@cityops/contracts';
import { entitiesUrl, postRecords, putEntities, recordsUrl, type EntityStateInput, type PostOutcome } from './feed-poster';

/** The subset of pino the loops use, so tests can pass a recorder. */
export interface SimulatorLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

interface FeedLoopBase {
  apiUrl: string;
  feedKey: string;
  /** The feed key's secret (bearer token). */
  token: string;
  intervalMs: number;
  /**
   * Ticks fall at this offset into each interval of the wall clock, so loops of several feeds
   * spread their posts instead of all landing at once. Without it, ticks count from the start.
   */
  offsetMs?: number;
  logger: SimulatorLogger;
  /** What the posts carry, in the log: "headcounts", "air-quality readings". */
  what: string;
  /** Said once when the API refuses the token: where the key comes from. */
  unauthorizedHint: string;
}

/** A loop posts a reading feed's records, or pushes an entity feed's states. */
export type FeedLoopOptions = FeedLoopBase &
  (
    | {
        /** The records of the tick at `now`. */
        records(now: Date): IngestRecord[];
      }
    | {
        /** The entities' states of the tick at `now`. */
        entities(now: Date): EntityStateInput[];
      }
  );

export interface RunningLoop {
  /** Stops ticking, aborts a post in flight and resolves once nothing is pending. */
  stop(): Promise<void>;
}

/** A post slower than this is abandoned; the next tick sends fresher numbers anyway. */
const MIN_POST_TIMEOUT_MS = 5000;
/** The same failure is logged at most this often, with the number of repeats in between. */
const REPEAT_LOG_MS = 60_000;

/**
 * Posts a feed's records every `intervalMs` over HTTP with its feed key, aligned to the interval
 * so a slow answer skips ticks instead of piling requests up. Failures are logged and retried on
 * the next tick; nothing here ends the process.
 */
export function startFeedLoop(options: FeedLoopOptions): RunningLoop {
  const { intervalMs, logger, what, feedKey } = options;
  const url = 'records' in options ? recordsUrl(options.apiUrl, feedKey) : entitiesUrl(options.apiUrl, feedKey);
  const origin = options.offsetMs === undefined ? Date.now() : options.offsetMs;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: AbortController | undefined;
  let pending: Promise<void> = Promise.resolve();
  let apiSeen = false;
  let waitingLogged = false;
  const lastLogged = new Map<string, { at: number; repeats: number }>();

  /** Logs a failure the first time and then once a minute while it persists. */
  const logRepeated = (key: string, level: 'warn' | 'error', fields: object, message: string): void => {
    const now = Date.now();
    const last = lastLogged.get(key);
    if (last && now - last.at < REPEAT_LOG_MS) {
      last.repeats += 1;
      return;
    }
    logger[level]({ ...fields, ...(last?.repeats ? { repeatsSinceLastLog: last.repeats } : {}) }, message);
    lastLogged.set(key, { at: now, repeats: 0 });
  };

  const handle = (outcome: PostOutcome, records: number): void => {
    if (outcome.kind === 'unreachable') {
      if (stopped) return;
      if (!apiSeen) {
        // Normal while the API starts: say so once, then keep quiet until it answers.
        if (!waitingLogged) logger.info({ url }, 'waiting for the API to come up');
        else logger.debug({ url, error: outcome.error }, 'API not up yet');
        waitingLogged = true;
        return;
      }
      logRepeated('unreachable', 'warn', { url, error: outcome.error }, 'API unreachable; retrying next tick');
      return;
    }
    if (!apiSeen && waitingLogged) logger.info({ url }, `API is up; posting ${what}`);
    apiSeen = true;
    if (outcome.kind === 'unauthorized') {
      logRepeated('unauthorized', 'error', { url, status: outcome.status, body: outcome.body }, options.unauthorizedHint);
      return;
    }
    if (outcome.kind === 'http-error') {
      logRepeated(
        `http-${outcome.status}`,
        'warn',
        { url, status: outcome.status, body: outcome.body },
        `post of ${what} failed; retrying next tick`,
      );
      return;
    }
    lastLogged.clear();
    const { accepted, duplicates, rejected, errors } = outcome.result;
    logger.debug({ feed: feedKey, records, accepted, duplicates, rejected }, `posted ${what}`);
    if (rejected > 0) logger.warn({ feed: feedKey, rejected, errors: errors?.slice(0, 5) }, `the API rejected some ${what}`);
  };

  const tick = async (): Promise<void> => {
    const now = new Date();
    const controller = new AbortController();
    inFlight = controller;
    const timeout = setTimeout(() => controller.abort(), Math.max(intervalMs, MIN_POST_TIMEOUT_MS));
    try {
      if ('records' in options) {
        const records = options.records(now);
        handle(await postRecords(url, options.token, records, controller.signal), records.length);
      } else {
        const entities = options.entities(now);
        handle(await putEntities(url, options.token, entities, controller.signal), entities.length);
      }
    } finally {
      clearTimeout(timeout);
      inFlight = undefined;
    }
  };

  const schedule = (): void => {
    if (stopped) return;
    const delay = intervalMs - ((((Date.now() - origin) % intervalMs) + intervalMs) % intervalMs);
    timer = setTimeout(run, delay);
  };

  const run = (): void => {
    pending = tick()
      .catch((error: unknown) => logRepeated('tick', 'error', { err: error }, 'simulator tick failed; retrying next tick'))
      .finally(schedule);
  };

  run();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      inFlight?.abort();
      await pending;
    },
  };
}
