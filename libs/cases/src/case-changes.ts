import { Injectable, Logger } from '@nestjs/common';
import { RedisService, SharedVersions } from '@cityops/core';

/** A version also turns over this often, so that a change whose announcement failed (Redis away) is outlived. */
export const CASE_VERSION_PERIOD_MS = 10 * 60_000;

/**
 * A counter shared by every process that changes whenever a case does (filed, moved on,
 * supervised): part of the key of what is cached from the cases (their vector tiles), so a tile
 * made before a change is never answered after it.
 */
@Injectable()
export class CaseChanges {
  private readonly logger = new Logger(CaseChanges.name);

  constructor(
    private readonly redis: RedisService,
    private readonly versions: SharedVersions,
  ) {}

  private get versionKey(): string {
    return this.redis.key('cases', 'version');
  }

  async version(now = Date.now()): Promise<string> {
    return `${await this.versions.get(this.versionKey)}.${Math.floor(now / CASE_VERSION_PERIOD_MS)}`;
  }

  /**
   * Before `case.changed` goes out: a map that reloads on hearing it must get the new tiles. Best
   * effort, like the event itself: the case is stored whatever happens here.
   */
  async announce(): Promise<void> {
    try {
      await this.versions.bump(this.versionKey);
    } catch (err) {
      this.logger.warn({ err }, 'case change not announced: cached case tiles may lag until the version turns over');
    }
  }
}
