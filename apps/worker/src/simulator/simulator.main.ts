import { initLogger, loadConfigOrExit } from '@cityops/core';
import {
  CITY_FEEDS,
  DEFAULT_RACE_WALL_SECONDS,
  MARATHON_SEGMENT_COUNT,
  startCaseSimulator,
  startCitySimulator,
  startCourseCameras,
  startSimulator,
} from '@cityops/demo';

/** Stop waits this long for a post in flight, then the process leaves anyway. */
const SHUTDOWN_GRACE_MS = 3000;

/**
 * The demo feeds' process (scripts/start.sh runs it beside the API and the worker): a simulated
 * Guangzhou Marathon posting one headcount per course zone (and its course cameras' people in view), and the demo city's department feeds
 * (air, traffic, rain, waterlogging, cranes, metro, emergency rooms), each posting to the API's
 * ingest endpoint with its own feed key like any outside system, and the demo city's cases taken
 * through the whole loop by its simulated people (SIMULATOR_CASES_PER_HOUR). The simulations live in libs/demo.
 */
function main(): void {
  const config = loadConfigOrExit();
  const logger = initLogger(config.logLevel, 'simulator');
  const { enabled, intervalMs, runners, apiUrl, token, cityEnabled, casesPerHour } = config.simulator;
  if (!enabled) {
    logger.info({}, 'SIMULATOR_ENABLED is false; nothing to simulate');
    return;
  }
  if (!token) {
    logger.error({}, 'SIMULATOR_TOKEN is empty: the API will refuse every post (npm start generates one into .env)');
  }
  const marathon = startSimulator({ apiUrl, token, intervalMs, runners, logger });
  logger.info(
    { apiUrl, intervalMs, runners, zones: MARATHON_SEGMENT_COUNT, raceWallMinutes: DEFAULT_RACE_WALL_SECONDS / 60 },
    'marathon simulator started',
  );
  // The course cameras count the race's crowd in their view.
  const courseCameras = token ? startCourseCameras({ apiUrl, simulatorToken: token, race: marathon.race, logger }) : null;
  const city = cityEnabled ? startCitySimulator({ apiUrl, simulatorToken: token, logger }) : null;
  if (city) {
    logger.info(
      { feeds: CITY_FEEDS.map((f) => `${f.feed.key} every ${f.cadenceSeconds}s`), recordsPerRound: city.recordsPerRound },
      'demo city simulator started',
    );
  }

  // Only with the token: the simulated people's passwords are derived from it.
  const cases = casesPerHour > 0 && token ? startCaseSimulator({ apiUrl, simulatorToken: token, casesPerHour, logger }) : null;
  if (cases) logger.info({ casesPerHour }, 'demo case simulator started');

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'simulator stopping');
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    void Promise.all([marathon.stop(), courseCameras?.stop(), city?.stop(), cases?.stop()]).then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main();
