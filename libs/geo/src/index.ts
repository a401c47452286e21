export * from './area-directory.service';
export * from './area-locator.service';
export type { AreaInput, AreaRef } from './area.repository';
export * from './area.service';
export * from './demo';
export * from './geo.module';
export * from './geojson-shape';
