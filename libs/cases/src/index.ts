export * from './case-workflow';
export * from './working-calendar';
