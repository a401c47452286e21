export * from './formula';
export * from './indicator-trigger.service';
export * from './indicator-validation';
export * from './indicator.exception';
export type { IndicatorDefinition } from './indicator.repository';
export * from './indicator.service';
export * from './indicators.module';
