export type { DemoArea, DemoAreaLevel, DemoMultiPolygon } from './demo-area';
export { MARATHON_FEED, MARATHON_SCENE, MARATHON_SCENE_KEY, MARATHON_ZONE_SET, SEGMENT_LOAD_INDICATOR } from './demo-catalog';
export { DEMO_CITY, DEMO_DISTRICTS, type DemoDistrict } from './demo-city.districts';
export { generateDemoCity } from './demo-city.generator';
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
