import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { LivePublisherModule } from './live/live-publisher.module';
import { MetricsModule } from './metrics/metrics.module';
import { QueueModule } from './queues/queue.module';
import { RedisModule } from './redis/redis.module';
import { SecretsModule } from './secrets/secrets.module';

/** Infrastructure every app needs: config, database, Redis, queues, live publishing, metrics, sealed secrets. */
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, RedisModule, QueueModule, LivePublisherModule, MetricsModule, SecretsModule],
    };
  }
}
