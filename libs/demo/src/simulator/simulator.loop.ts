import { MARATHON_FEED } from '../demo-catalog';
import { createMarathonRace, type MarathonRace } from '../marathon-crowd.simulator';
import { startFeedLoop, type SimulatorLogger } from './feed-loop';
import { headcountRecords } from './marathon-records';

export type { SimulatorLogger } from './feed-loop';

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

/** Posts the race's headcounts every `intervalMs` with the simulator's token (the marathon feed's key). */
export function startSimulator(options: SimulatorOptions): RunningSimulator {
  const race = createMarathonRace({ runners: options.runners, seed: options.seed, startedAt: options.startedAt ?? new Date() });
  const loop = startFeedLoop({
    apiUrl: options.apiUrl,
    feedKey: MARATHON_FEED.key,
    token: options.token,
    intervalMs: options.intervalMs,
    logger: options.logger,
    what: 'headcounts',
    unauthorizedHint:
      'the API refused the token (HTTP 401): SIMULATOR_TOKEN does not match the demo-simulator feed token. ' +
      '`cli.js prepare` (run by npm start) registers that token from SIMULATOR_TOKEN; give the simulator the same value, or run prepare again',
    records: (now) => headcountRecords(race.headcounts(now), now),
  });
  return { race, stop: () => loop.stop() };
}
