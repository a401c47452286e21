export * from './case-workflow';
export * from './working-calendar';
export * from './case-routing';
export * from './case-code';
