import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { commandConnectionOptions, RedisConnectionWatch, waitingConnectionOptions } from './redis-connection';

/** One shared Redis connection for commands, and the installation's key prefix. */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: Redis;
  readonly prefix: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.client = new RedisConnectionWatch(this.logger, 'commands').attach(new Redis(config.redis.url, commandConnectionOptions()));
    this.prefix = config.redis.prefix;
  }

  /** Builds a key in this installation's namespace: `key('metrics', 'jobs')` → `cityops:metrics:jobs`. */
  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  /**
   * A separate connection for a subscriber; the caller closes it. It waits out an outage (and
   * ioredis subscribes again when it is back) rather than failing its commands.
   */
  duplicate(name = 'subscriber'): Redis {
    return new RedisConnectionWatch(this.logger, name).attach(new Redis(this.config.redis.url, waitingConnectionOptions()));
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
