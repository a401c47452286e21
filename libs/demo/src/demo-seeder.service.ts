import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertService } from '@cityops/alerts';
import { CaseDetectionService, CaseSetupService } from '@cityops/cases';
import { DEFAULT_PLAYLIST_KEY, type SceneDefinition } from '@cityops/contracts';
import { APP_CONFIG, type AppConfig } from '@cityops/core';
import { EntityService, FeedCatalogService, ObservationBackfillService, type BackfillReading, type BackfillResult } from '@cityops/feeds';
import { AreaService } from '@cityops/geo';
import { AuthService } from '@cityops/identity';
import { IndicatorService } from '@cityops/indicators';
import { SceneService } from '@cityops/scenes';
import { generateDemoCameras } from './cameras/demo-cameras';
import { CHINA_2026_HOLIDAYS, CHINA_2026_MAKEUP_WORKDAYS } from './cases/china-2026-holidays';
import { DEMO_CASE_PEOPLE, demoPersonPassword, VIDEO_ANALYTICS_FEED, VIDEO_ANALYTICS_SOURCE } from './cases/demo-case-people';
import { DEMO_AREA_ABBREVIATIONS, DEMO_DISTRICT_DEPARTMENT, DEMO_ROUTING_RULES } from './cases/demo-cases';
import { CITY_FEEDS, type CityFeed } from './city/city-feeds';
import { cityFeedHistory } from './city/city-history';
import { generateCitySites } from './city/city-sites';
import { CAMERAS_FEED, MARATHON_FEED, MARATHON_SCENE, MARATHON_SCENE_KEY, MARATHON_ZONE_SET, SEGMENT_LOAD_INDICATOR } from './demo-catalog';
import { DEMO_CITY } from './demo-city.districts';
import { generateDemoCity } from './demo-city.generator';
import {
  demoPlaylist,
  DEMO_DISTRICT_CODE,
  DISTRICT_SCENE_KEY,
  districtScene,
  FLOOD_SCENE_KEY,
  floodScene,
  OVERVIEW_SCENE_KEY,
  overviewScene,
} from './demo-wall';
import { generateMarathonCourse } from './marathon-course';
import { DEFAULT_DEMO_SEED } from './seeded-random';
import { demoFeedSecret } from './simulator/feed-keys';
import { SIMULATOR_TOKEN_NAME } from './simulator/simulator-token';
import { DEMO_VITAL_SIGNS } from './vital-signs';

export { SIMULATOR_TOKEN_NAME } from './simulator/simulator-token';

export interface DemoSeedResult {
  /** Areas written by this run: the whole demo city and course into an empty database, else 0. */
  areasLoaded: number;
  /** Whether the marathon's feed, indicator, scene and simulator token are in place. */
  marathon: boolean;
  /** The demo city's department feeds in place (none when the city is not the demo's). */
  cityFeeds: string[];
  /** Cameras written by this run (0 when the feed already held cameras, or the city is not the demo's). */
  camerasLoaded: number;
  /** Readings of the department feeds' past DEMO_HISTORY_HOURS written by this run (0 when they held observations already). */
  historyWritten: number;
  /** Values of the vital signs computed over the backfilled readings (0 when no readings were written). */
  vitalSignValues: number;
  /** Alerts derived from those values (0 when none were computed). */
  vitalSignAlerts: number;
  /** The demo wall's scenes written by this run (none when present already, or the city is not the demo's). */
  wallScenes: string[];
  /** Case routing rules added by this run (0 when present already, or the city is not the demo's). */
  caseRoutingRules: number;
  /** The simulated people's accounts made by this run (none when present already, or the city is not the demo's). */
  casePeople: string[];
}

/**
 * Loads the demo through the product's own services, as a deployment would load its own event:
 * areas (AreaService.seed), the feed (catalog), the vital sign, the wall scene and the feed token.
 */
@Injectable()
export class DemoSeederService {
  private readonly logger = new Logger(DemoSeederService.name);

  constructor(
    private readonly areas: AreaService,
    private readonly feeds: FeedCatalogService,
    private readonly entities: EntityService,
    private readonly backfill: ObservationBackfillService,
    private readonly indicators: IndicatorService,
    private readonly alerts: AlertService,
    private readonly scenes: SceneService,
    private readonly auth: AuthService,
    private readonly caseSetup: CaseSetupService,
    private readonly detections: CaseDetectionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Safe to repeat. Needs the catalogue's departments (the feed names one). */
  async seed(): Promise<DemoSeedResult> {
    const areasLoaded = await this.loadDemoCityIfEmpty();
    const marathon = await this.ensureMarathon();
    const cityFeeds = await this.ensureCityFeeds();
    const camerasLoaded = await this.ensureCameras(marathon);
    const history = await this.ensureCityHistory(cityFeeds, this.config.demoHistoryHours);
    const historyWritten = history.reduce((n, h) => n + h.written, 0);
    const historyEnd = new Date();
    const vitalSignValues = historyWritten > 0 ? await this.computeVitalSignHistory(this.config.demoHistoryHours, historyEnd) : 0;
    const vitalSignAlerts = vitalSignValues > 0 ? await this.deriveVitalSignAlerts(this.config.demoHistoryHours, historyEnd) : 0;
    const wallScenes = await this.ensureWallRotation(cityFeeds.length > 0);
    const caseRoutingRules = await this.ensureCaseSetup();
    const casePeople = await this.ensureCaseSimulation();
    return {
      areasLoaded,
      marathon,
      cityFeeds,
      camerasLoaded,
      historyWritten,
      vitalSignValues,
      vitalSignAlerts,
      wallScenes,
      caseRoutingRules,
      casePeople,
    };
  }

  /** Loads the demo city only into an empty database, so real boundaries are never overwritten. */
  async loadDemoCityIfEmpty(): Promise<number> {
    if ((await this.areas.count()) > 0) return 0;
    const n = await this.areas.seed([...generateDemoCity(), ...generateMarathonCourse()], [MARATHON_ZONE_SET]);
    this.logger.log({ areas: n }, 'demo city loaded');
    return n;
  }

  /**
   * The marathon's feed, vital sign, scene and simulator token, once its course is there. A
   * database that held real areas before the first run has no course: the marathon stays out.
   */
  async ensureMarathon(): Promise<boolean> {
    const zoneSets = await this.areas.zoneSets();
    if (!zoneSets.some((z) => z.key === MARATHON_ZONE_SET.key && z.zones > 0)) {
      this.logger.log({ zoneSet: MARATHON_ZONE_SET.key }, 'no marathon course in this database; the marathon demo is not loaded');
      return false;
    }
    await this.feeds.ensure(MARATHON_FEED);
    await this.indicators.upsert(SEGMENT_LOAD_INDICATOR);
    await this.scenes.put(MARATHON_SCENE_KEY, MARATHON_SCENE);
    if (this.config.simulator.token) {
      await this.auth.ensureFeedKey(MARATHON_FEED.key, SIMULATOR_TOKEN_NAME, this.config.simulator.token);
    }
    return true;
  }

  /**
   * The demo city's cameras, in one batch through the feed's own checks, into a feed that holds
   * none: every start runs this, and a restart neither rewrites them nor undoes a status that
   * changed since. With the marathon, the simulator pushes the course cameras' people counts
   * (`startCourseCameras`); the street cameras only stand there.
   */
  async ensureCameras(withCourse: boolean): Promise<number> {
    const city = await this.areas.city();
    if (city?.code !== DEMO_CITY.code || !(await this.areas.isDemo())) return 0;
    await this.feeds.ensure(CAMERAS_FEED);
    // The simulator pushes the course cameras' people counts with this key.
    const token = this.config.simulator.token;
    if (withCourse && token) await this.auth.ensureFeedKey(CAMERAS_FEED.key, SIMULATOR_TOKEN_NAME, demoFeedSecret(token, CAMERAS_FEED.key));
    if ((await this.entities.count(CAMERAS_FEED.key)) > 0) return 0;
    const ts = new Date().toISOString();
    const cameras = generateDemoCameras(undefined, withCourse).map(({ id, location, props }) => ({ id, ts, location, props }));
    const result = await this.entities.seed(CAMERAS_FEED.key, cameras);
    if (result.rejected > 0) this.logger.warn({ rejected: result.rejected, errors: result.errors.slice(0, 5) }, 'demo cameras rejected');
    this.logger.log({ cameras: result.accepted }, 'demo cameras loaded');
    return result.accepted;
  }

  /**
   * What the demo city's cases need beyond the standard catalog: letters for its codes, a
   * district bureau of its own, who takes which cases, and the demo year's holidays. Rules and
   * days already held are kept, so an admin's changes survive a restart.
   */
  async ensureCaseSetup(): Promise<number> {
    const city = await this.areas.city();
    if (city?.code !== DEMO_CITY.code || !(await this.areas.isDemo())) return 0;
    await this.areas.setAbbreviations(DEMO_AREA_ABBREVIATIONS);
    await this.feeds.ensureDepartment(DEMO_DISTRICT_DEPARTMENT.code, DEMO_DISTRICT_DEPARTMENT.name, DEMO_DISTRICT_DEPARTMENT.nameEn);
    const districts = await this.areas.list({ level: 'district', geometry: false, limit: 100 });
    const rules = DEMO_ROUTING_RULES.flatMap((r) => {
      const areaId = r.areaCode === null ? null : districts.find((d) => d.code === r.areaCode)?.id;
      return areaId === undefined ? [] : [{ category: r.category, areaId, department: r.department }];
    });
    const added = await this.caseSetup.ensureRules(rules, 'demo');
    await this.caseSetup.addCalendarDays([
      ...CHINA_2026_HOLIDAYS.map((day) => ({ day, kind: 'holiday' as const, name: null })),
      ...CHINA_2026_MAKEUP_WORKDAYS.map((day) => ({ day, kind: 'workday' as const, name: null })),
    ]);
    return added;
  }

  /**
   * What the simulator's case loop needs in the demo city: its people's accounts (grid workers of
   * a few streets, a handler per routed department, an operator) and the video-analysis feed as a
   * case source. Passwords and the feed's key are derived from SIMULATOR_TOKEN; without it the
   * accounts get a random password nobody knows, so no one signs in as them. Accounts and the
   * detection mapping already held are kept (an admin may have changed them); only the password
   * follows the token.
   */
  async ensureCaseSimulation(): Promise<string[]> {
    const city = await this.areas.city();
    if (city?.code !== DEMO_CITY.code || !(await this.areas.isDemo())) return [];
    const token = this.config.simulator.token;
    const made: string[] = [];
    for (const person of DEMO_CASE_PEOPLE) {
      const password = token ? demoPersonPassword(token, person.username) : randomBytes(32).toString('hex');
      if (await this.auth.ensureAccount({ ...person, scopes: person.scopes.map((area) => ({ area })) }, password))
        made.push(person.username);
    }
    await this.feeds.ensure(VIDEO_ANALYTICS_FEED);
    if (token) {
      await this.auth.ensureFeedKey(VIDEO_ANALYTICS_FEED.key, SIMULATOR_TOKEN_NAME, demoFeedSecret(token, VIDEO_ANALYTICS_FEED.key));
    }
    if (!(await this.detections.sources()).some((s) => s.feed === VIDEO_ANALYTICS_FEED.key)) {
      await this.detections.putSource(VIDEO_ANALYTICS_FEED.key, VIDEO_ANALYTICS_SOURCE, 'demo');
    }
    if (made.length) this.logger.log({ accounts: made.length }, 'the case simulation’s demo accounts made');
    return made;
  }

  /**
   * The demo wall's scenes (city overview, flood prevention with the city feeds, 天河) and its
   * default rotation, each only when missing: an admin's edits survive a restart.
   */
  async ensureWallRotation(withCityFeeds: boolean): Promise<string[]> {
    const city = await this.areas.city();
    if (city?.code !== DEMO_CITY.code || !(await this.areas.isDemo())) return [];
    const [cityArea] = await this.areas.list({ level: 'city', geometry: false, limit: 1 });
    const district = (await this.areas.list({ level: 'district', geometry: false, limit: 100 })).find((a) => a.code === DEMO_DISTRICT_CODE);
    const wanted: [string, SceneDefinition][] = [[OVERVIEW_SCENE_KEY, overviewScene(cityArea.id)]];
    if (withCityFeeds) wanted.push([FLOOD_SCENE_KEY, floodScene(cityArea.id)]);
    if (district) wanted.push([DISTRICT_SCENE_KEY, districtScene(district.id, withCityFeeds)]);
    const present = new Set((await this.scenes.list()).map((s) => s.key));
    const written = wanted.filter(([key]) => !present.has(key));
    for (const [key, scene] of written) await this.scenes.put(key, scene);
    if (!(await this.scenes.listPlaylists()).some((p) => p.key === DEFAULT_PLAYLIST_KEY)) {
      await this.scenes.putPlaylist(DEFAULT_PLAYLIST_KEY, demoPlaylist(new Set([...present, ...wanted.map(([key]) => key)])));
    }
    return written.map(([key]) => key);
  }

  /**
   * The demo city's department feeds, their vital signs and, with SIMULATOR_TOKEN, the
   * simulator's key on each (its secret derived from the token, so the simulator knows it
   * without another setting).
   * Only over the demo's own city (real boundaries get no simulated feeds), and only while the
   * simulator is to post them (feeds nobody posts to would show as silent on feed health).
   */
  async ensureCityFeeds(): Promise<string[]> {
    if (!this.config.simulator.cityEnabled) {
      this.logger.log({}, 'SIMULATOR_CITY_ENABLED is false; the demo city’s department feeds are not loaded');
      return [];
    }
    const city = await this.areas.city();
    if (city?.code !== DEMO_CITY.code || !(await this.areas.isDemo())) {
      this.logger.log({ city: city?.code ?? null }, 'not the demo city; its department feeds are not loaded');
      return [];
    }
    const token = this.config.simulator.token;
    for (const { feed } of CITY_FEEDS) {
      await this.feeds.ensure(feed);
      if (token) await this.auth.ensureFeedKey(feed.key, SIMULATOR_TOKEN_NAME, demoFeedSecret(token, feed.key));
    }
    // Inputs before the composites that read them (the engine checks every reference). Only the
    // missing ones: an admin's edits to a demo vital sign survive a restart.
    const present = new Set((await this.indicators.list()).map((d) => d.key));
    for (const definition of DEMO_VITAL_SIGNS) if (!present.has(definition.key)) await this.indicators.upsert(definition);
    return CITY_FEEDS.map(({ feed }) => feed.key);
  }

  /**
   * The department feeds' last `hours`, as the simulator would have posted them, so the wall's
   * 24-hour trends and the map's replay have a past on the first start. Written through the
   * feeds' own backfill (COPY, checked and tagged like ingest) into each feed that holds no
   * observation in the window: a restart, or a feed the simulator already posts to, gets nothing.
   */
  async ensureCityHistory(feedKeys: readonly string[], hours: number, now = new Date()): Promise<BackfillResult[]> {
    if (hours <= 0 || feedKeys.length === 0) return [];
    const from = new Date(now.getTime() - hours * 3600_000);
    const queue = CITY_FEEDS.filter(({ feed }) => feedKeys.includes(feed.key));
    const results: BackfillResult[] = [];
    // Sites are placed before any connection is awaited, and only when a feed will be written:
    // placing holds this process for a second or more, and a connection awaited meanwhile (the
    // other feed's transaction) would time out on a busy machine.
    const empty = await this.backfill.emptyFeeds(
      queue.map(({ feed }) => feed.key),
      { from, to: now },
    );
    if (empty.length > 0) generateCitySites(DEFAULT_DEMO_SEED);
    // Two feeds at a time: PostgreSQL spends most of a COPY on its indexes, one core per COPY,
    // while this process computes the readings of both between its turns.
    const worker = async (): Promise<void> => {
      for (let cityFeed = queue.shift(); cityFeed; cityFeed = queue.shift()) {
        const started = Date.now();
        const result = await this.backfill.backfill(cityFeed.feed.key, { from, to: now }, feedHistory(cityFeed, from, now));
        this.logger.log(
          { ...result, hours, ms: Date.now() - started },
          result.skipped ? 'demo history present already' : 'demo history written',
        );
        results.push(result);
      }
    };
    await Promise.all([worker(), worker()]);
    return results;
  }

  /**
   * The vital signs over the readings just backfilled, so the wall's trends and the map's replay
   * have the past day on the first start, not only the minutes since.
   */
  async computeVitalSignHistory(hours: number, now = new Date()): Promise<number> {
    if (hours <= 0) return 0;
    const started = Date.now();
    const stored = await this.indicators.computeHistory(
      DEMO_VITAL_SIGNS.map((d) => d.key),
      { from: new Date(now.getTime() - hours * 3600_000), to: now },
      VITAL_SIGN_HISTORY_STEP_SECONDS,
    );
    const values = [...stored.values()].reduce((n, v) => n + v, 0);
    this.logger.log({ indicators: stored.size, values, ms: Date.now() - started }, 'vital signs computed over the demo history');
    return values;
  }

  /**
   * The alerts the vital signs' computed day implies (AlertService.deriveFromHistory), so the
   * replay shows that day's alerts too, and an alert still firing at its end is the one the live
   * round continues. Over the same window as `computeVitalSignHistory`.
   */
  async deriveVitalSignAlerts(hours: number, now = new Date()): Promise<number> {
    if (hours <= 0) return 0;
    const started = Date.now();
    const stored = await this.alerts.deriveFromHistory(
      DEMO_VITAL_SIGNS.map((d) => d.key),
      { from: new Date(now.getTime() - hours * 3600_000), to: now },
    );
    const alerts = [...stored.values()].reduce((n, v) => n + v, 0);
    this.logger.log({ indicators: stored.size, alerts, ms: Date.now() - started }, 'vital sign alerts derived over the demo history');
    return alerts;
  }
}

/** Trends and replays in five-minute steps: a day is 289 points per area. */
const VITAL_SIGN_HISTORY_STEP_SECONDS = 300;

/** A feed's history over the demo's sites (placed once per process and seed). */
function* feedHistory(cityFeed: CityFeed, from: Date, to: Date): Generator<BackfillReading[]> {
  yield* cityFeedHistory(cityFeed, generateCitySites(DEFAULT_DEMO_SEED), DEFAULT_DEMO_SEED, from, to);
}
