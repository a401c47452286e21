export * from './history-resolution';
export * from './indicator-history.service';
export * from './indicator-rollup.service';
export * from './indicator-trigger.service';
export * from './indicator.exception';
export type { IndicatorDefinition, IndicatorKind, LatestRatioParams } from './indicator.repository';
export * from './indicator.service';
export * from './indicators.module';
