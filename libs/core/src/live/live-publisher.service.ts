import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { Redis } from 'ioredis';
import { LIVE_NAMESPACE } from '@cityops/contracts';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/** socket.io adapter key shared by the emitter (any process) and the API's Redis adapter. */
export function socketIoKey(prefix: string): string {
  return `${prefix}:socket.io`;
}

/**
 * Publishes live events to socket.io rooms through Redis, so a worker (or any API process)
 * reaches every client connected to any API process.
 */
@Injectable()
export class LivePublisher implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly emitter: Emitter;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = new Redis(config.redis.url, { maxRetriesPerRequest: 3 });
    this.emitter = new Emitter(this.redis, { key: socketIoKey(config.redis.prefix) });
  }

  publish(room: string, event: string, payload: unknown): void {
    this.emitter.of(LIVE_NAMESPACE).to(room).emit(event, payload);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
