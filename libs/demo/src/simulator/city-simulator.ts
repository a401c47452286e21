import { CITY_FEEDS, cityFeedRecords, type CityFeed } from '../city/city-feeds';
import { generateCitySites } from '../city/city-sites';
import { DEFAULT_DEMO_SEED } from '../seeded-random';
import { demoFeedSecret } from './feed-keys';
import { startFeedLoop, type RunningLoop, type SimulatorLogger } from './feed-loop';
import { SIMULATOR_TOKEN_NAME } from './simulator-token';

export interface CitySimulatorOptions {
  apiUrl: string;
  /** SIMULATOR_TOKEN; each feed's key is derived from it. */
  simulatorToken: string;
  logger: SimulatorLogger;
  seed?: number;
  /** Default every department feed of the demo city. */
  feeds?: readonly CityFeed[];
}

export interface RunningCitySimulator {
  /** Records one round of every feed carries (for the start-up log). */
  readonly recordsPerRound: number;
  stop(): Promise<void>;
}

/**
 * One posting loop per department feed of the demo city, each at its feed's cadence with its own
 * key, their ticks spread over the interval so the API sees a steady trickle rather than bursts.
 */
export function startCitySimulator(options: CitySimulatorOptions): RunningCitySimulator {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const feeds = options.feeds ?? CITY_FEEDS;
  const sites = generateCitySites(seed);
  let recordsPerRound = 0;
  const loops: RunningLoop[] = feeds.map((cityFeed, i) => {
    const intervalMs = cityFeed.cadenceSeconds * 1000;
    recordsPerRound += cityFeedRecords(cityFeed, sites, seed, new Date()).length;
    return startFeedLoop({
      apiUrl: options.apiUrl,
      feedKey: cityFeed.feed.key,
      token: demoFeedSecret(options.simulatorToken, cityFeed.feed.key),
      intervalMs,
      offsetMs: Math.round(((i + 0.5) * intervalMs) / feeds.length),
      logger: options.logger,
      what: `${cityFeed.feed.key} readings`,
      unauthorizedHint:
        `the API refused the ${SIMULATOR_TOKEN_NAME} key of feed ${cityFeed.feed.key} (HTTP 401): it is derived from SIMULATOR_TOKEN ` +
        'and registered by `cli.js prepare` (run by npm start); give the simulator the same SIMULATOR_TOKEN, or run prepare again',
      records: (now) => cityFeedRecords(cityFeed, sites, seed, now),
    });
  });
  return {
    recordsPerRound,
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
    },
  };
}
