import { Injectable } from '@nestjs/common';
import { RedisService } from '@cityops/core';

/**
 * A counter per entity feed in Redis that any process writing the feed's entities bumps, so every
 * process keys what it caches from them (vector tiles) by the same version and a write is seen
 * by all of them at once.
 */
@Injectable()
export class EntityVersionRepository {
  constructor(private readonly redis: RedisService) {}

  private key(feedKey: string): string {
    return this.redis.key('entities', 'version', feedKey);
  }

  async bump(feedKey: string): Promise<void> {
    await this.redis.client.incr(this.key(feedKey));
  }

  async get(feedKey: string): Promise<string> {
    return (await this.redis.client.get(this.key(feedKey))) ?? '0';
  }
}
