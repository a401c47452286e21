export * from './case-workflow';
export * from './working-calendar';
export * from './case-routing';
