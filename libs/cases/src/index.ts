export * from './case-workflow';
