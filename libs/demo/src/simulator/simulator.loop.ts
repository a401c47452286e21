import { MARATHON_FEED } from '../demo-catalog';
import { createMarathonRace, type MarathonRace } from '../marathon-crowd.simulator';
import { postRecords, recordsUrl, type PostOutcome } from './feed-poster';
import { headcountRecords } from './marathon-records';

/** The subset of pino the loop uses, so tests can pass a recorder. */
export interface SimulatorLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface SimulatorOptions {
  apiUrl: string;
  token: string;
  intervalMs: number;
  runners: number;
  logger: SimulatorLogger;
  seed?: number;
  /** Gun time of the first race; default now. */
  startedAt?: Date;
}

export interface RunningSimulator {
  readonly race: MarathonRace;
  /** Stops ticking, aborts a post in flight and resolves once nothing is pending. */
  stop(): Promise<void>;
}

/** A post slower than this is abandoned; the next tick sends fresher numbers anyway. */
const MIN_POST_TIMEOUT_MS = 5000;
/** The same failure is logged at most this often, with the number of repeats in between. */
const REPEAT_LOG_MS = 60_000;

/**
 * Posts the race's headcounts every `intervalMs`, aligned to the interval so a slow answer
 * skips ticks instead of piling requests up. Failures are logged and retried on the next tick;
 * nothing here ends the process.
 */
export function startSimulator(options: SimulatorOptions): RunningSimulator {
  const { intervalMs, logger } = options;
  const race = createMarathonRace({ runners: options.runners, seed: options.seed, startedAt: options.startedAt ?? new Date() });
  const url = recordsUrl(options.apiUrl, MARATHON_FEED.key);
  const origin = Date.now();
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
    if (!apiSeen && waitingLogged) logger.info({ url }, 'API is up; posting headcounts');
    apiSeen = true;
    if (outcome.kind === 'unauthorized') {
      logRepeated(
        'unauthorized',
        'error',
        { url, status: outcome.status, body: outcome.body },
        'the API refused the token (HTTP 401): SIMULATOR_TOKEN does not match the demo-simulator feed token. ' +
          '`cli.js prepare` (run by npm start) registers that token from SIMULATOR_TOKEN; give the simulator the same value, or run prepare again',
      );
      return;
    }
    if (outcome.kind === 'http-error') {
      logRepeated(
        `http-${outcome.status}`,
        'warn',
        { url, status: outcome.status, body: outcome.body },
        'headcount post failed; retrying next tick',
      );
      return;
    }
    lastLogged.clear();
    const { accepted, duplicates, rejected, errors } = outcome.result;
    logger.debug({ records, accepted, duplicates, rejected }, 'posted headcounts');
    if (rejected > 0) logger.warn({ rejected, errors: errors?.slice(0, 5) }, 'the API rejected some headcount records');
  };

  const tick = async (): Promise<void> => {
    const now = new Date();
    const records = headcountRecords(race.headcounts(now), now);
    const controller = new AbortController();
    inFlight = controller;
    const timeout = setTimeout(() => controller.abort(), Math.max(intervalMs, MIN_POST_TIMEOUT_MS));
    try {
      handle(await postRecords(url, options.token, records, controller.signal), records.length);
    } finally {
      clearTimeout(timeout);
      inFlight = undefined;
    }
  };

  const schedule = (): void => {
    if (stopped) return;
    const delay = intervalMs - ((Date.now() - origin) % intervalMs);
    timer = setTimeout(run, delay);
  };

  const run = (): void => {
    pending = tick()
      .catch((error: unknown) => logRepeated('tick', 'error', { err: error }, 'simulator tick failed; retrying next tick'))
      .finally(schedule);
  };

  run();
  return {
    race,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      inFlight?.abort();
      await pending;
    },
  };
}
