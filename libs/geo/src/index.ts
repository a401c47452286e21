export * from './area-locator.service';
export type { AreaInput, CityView, ZoneSetSummary } from './area.repository';
export * from './area.service';
export * from './geo.module';
