export type { DemoArea, DemoAreaLevel, DemoMultiPolygon } from './demo-area';
export { CAMERAS_FEED, MARATHON_FEED, MARATHON_SCENE, MARATHON_SCENE_KEY, MARATHON_ZONE_SET, SEGMENT_LOAD_INDICATOR } from './demo-catalog';
export { DEMO_CITY, DEMO_DISTRICTS, type DemoDistrict } from './demo-city.districts';
export { buildDemoCity, COMMUNITIES_PER_STREET, generateDemoCity, GRIDS_PER_COMMUNITY } from './demo-city.generator';
export * from './demo-seeder.service';
export * from './demo.module';
export {
  generateMarathonCourse,
  MARATHON_CAPACITIES,
  MARATHON_COURSE,
  MARATHON_DISTANCE_KM,
  MARATHON_SEGMENT_COUNT,
  MARATHON_ZONE_SET_KEY,
} from './marathon-course';
export {
  computePeakHeadcounts,
  createMarathonRace,
  DEFAULT_RACE_RUNNERS,
  DEFAULT_RACE_SPEEDUP,
  DEFAULT_RACE_WALL_SECONDS,
  RACE_CYCLE_SECONDS,
  type MarathonRace,
  type MarathonRaceOptions,
  type MarathonSurge,
  type SegmentHeadcount,
  type SurgeOptions,
} from './marathon-crowd.simulator';
export { DEFAULT_DEMO_SEED } from './seeded-random';
export { headcountRecords, SIMULATOR_SOURCE, toChinaTime } from './simulator/marathon-records';
export { startSimulator, type RunningSimulator, type SimulatorLogger, type SimulatorOptions } from './simulator/simulator.loop';
export {
  AIR_QUALITY_FEED,
  CITY_FEEDS,
  cityFeedRecords,
  ER_WAITING_FEED,
  METRO_FLOW_FEED,
  RAIN_GAUGE_FEED,
  ROAD_TRAFFIC_FEED,
  TOWER_CRANE_FEED,
  WATERLOGGING_FEED,
  type CityFeed,
} from './city/city-feeds';
export { CITY_SITE_COUNTS, generateCitySites, type CitySite, type DemoCitySites } from './city/city-sites';
export { cityFeedHistory, historyTicks } from './city/city-history';
export { demoFeedSecret } from './simulator/feed-keys';
export { startFeedLoop, type FeedLoopOptions, type RunningLoop } from './simulator/feed-loop';
export { startCitySimulator, type CitySimulatorOptions, type RunningCitySimulator } from './simulator/city-simulator';
export { courseCameraStates, peopleInView, startCourseCameras, type CourseCameraOptions } from './simulator/course-cameras';
export * from './vital-signs';
export { DEMO_CAMERA_COUNT, generateDemoCameras, SEGMENT_CAMERAS, type DemoCamera } from './cameras/demo-cameras';
export { CHINA_2026_HOLIDAYS, CHINA_2026_MAKEUP_WORKDAYS } from './cases/china-2026-holidays';
export { DEMO_AREA_ABBREVIATIONS, DEMO_DISTRICT_DEPARTMENT, DEMO_ROUTING_RULES } from './cases/demo-cases';
export {
  DEMO_CASE_PEOPLE,
  DEMO_CASE_STREETS,
  DEMO_GRID_WORKERS,
  DEMO_HANDLERS,
  DEMO_OPERATOR,
  demoPersonPassword,
  VIDEO_ANALYTICS_FEED,
  VIDEO_ANALYTICS_SOURCE,
  type DemoCasePerson,
} from './cases/demo-case-people';
export {
  startCaseSimulator,
  type CaseSimulatorCounts,
  type CaseSimulatorOptions,
  type RunningCaseSimulator,
} from './simulator/case-simulator';
export { caseSimulationPlaces, type CasePlaces } from './simulator/case-places';
