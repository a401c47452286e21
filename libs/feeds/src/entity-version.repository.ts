import { Injectable } from '@nestjs/common';
import { RedisService, SharedVersions } from '@cityops/core';

/**
 * A counter per entity feed in Redis that any process writing the feed's entities bumps, so every
 * process keys what it caches from them (vector tiles) by the same version and a write is seen
 * by all of them at once.
 */
@Injectable()
export class EntityVersionRepository {
  constructor(
    private readonly redis: RedisService,
    private readonly versions: SharedVersions,
  ) {}

  private key(feedKey: string): string {
    return this.redis.key('entities', 'version', feedKey);
  }

  bump(feedKey: string): Promise<void> {
    return this.versions.bump(this.key(feedKey));
  }

  /** From this process's memory while no change has been announced (SharedVersions). */
  get(feedKey: string): Promise<string> {
    return this.versions.get(this.key(feedKey));
  }
}
