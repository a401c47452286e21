export type { DemoArea, DemoAreaLevel, DemoMultiPolygon } from './demo-area';
export { DEMO_CITY, DEMO_DISTRICTS, type DemoDistrict } from './demo-city.districts';
export { generateDemoCity } from './demo-city.generator';
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
