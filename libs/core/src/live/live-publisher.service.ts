import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { Redis } from 'ioredis';
import { LIVE_NAMESPACE } from '@cityops/contracts';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { commandConnectionOptions, RedisConnectionWatch } from '../redis/redis-connection';

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
  private readonly logger = new Logger(LivePublisher.name);
  private readonly redis: Redis;
  private readonly emitter: Emitter;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const watch = new RedisConnectionWatch(this.logger, 'live publisher');
    this.redis = watch.attach(new Redis(config.redis.url, commandConnectionOptions()));
    // The emitter publishes without awaiting: a publish that fails while Redis is away would be an
    // unhandled rejection, which ends the process. Live events are best effort (clients fetch a
    // snapshot after reconnecting), so a lost one is only noted.
    const redis = this.redis;
    const publisher = {
      publish: (channel: string, message: string | Buffer): Promise<number | void> => redis.publish(channel, message).catch(watch.error),
    };
    this.emitter = new Emitter(publisher, { key: socketIoKey(config.redis.prefix) });
  }

  publish(room: string, event: string, payload: unknown): void {
    this.emitter.of(LIVE_NAMESPACE).to(room).emit(event, payload);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
