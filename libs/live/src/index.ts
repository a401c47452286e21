export * from './live.module';
export * from './redis-io.adapter';
