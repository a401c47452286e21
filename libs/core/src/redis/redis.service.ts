import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/** One shared Redis connection for commands, and the installation's key prefix. */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  readonly client: Redis;
  readonly prefix: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.client = new Redis(config.redis.url, { maxRetriesPerRequest: 3, lazyConnect: false });
    this.prefix = config.redis.prefix;
  }

  /** Builds a key in this installation's namespace: `key('metrics', 'jobs')` → `cityops:metrics:jobs`. */
  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  /** A separate connection (for subscribers and blocking commands); the caller closes it. */
  duplicate(options: { maxRetriesPerRequest?: number | null } = {}): Redis {
    return new Redis(this.config.redis.url, { maxRetriesPerRequest: options.maxRetriesPerRequest ?? 3 });
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => undefined);
  }
}
