export * from './indicator-trigger.service';
export * from './indicator.exception';
export type { IndicatorDefinition, IndicatorKind, LatestRatioParams } from './indicator.repository';
export * from './indicator.service';
export * from './indicators.module';
