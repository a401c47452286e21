export * from './area-directory.service';
export * from './area-locator.service';
export * from './area-scope';
export { areaLevelTileQuery, likeEscape } from './area.repository';
export type {
  AreaExtent,
  AreaFeature,
  AreaFeatureFilter,
  AreaInput,
  AreaMeasure,
  AreaRef,
  CityView,
  ZoneSetSummary,
} from './area.repository';
export * from './area.service';
export * from './geo.module';
export * from './geojson-shape';
