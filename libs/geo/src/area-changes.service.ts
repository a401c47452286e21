import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisService, SharedVersions } from '@cityops/core';

/** Reloads one in-memory view of the areas. */
export type AreaChangeListener = () => Promise<void>;

/**
 * "Areas changed", heard by every process: the process that imports or seeds areas announces it
 * on Redis, and each process's in-memory views of the areas (the grid index, the directory)
 * reload. The announcing process reloads its own first, so its next request already sees them.
 */
@Injectable()
export class AreaChanges implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AreaChanges.name);
  private readonly listeners: AreaChangeListener[] = [];
  private subscriber: Redis | undefined;

  constructor(
    private readonly redis: RedisService,
    private readonly versions: SharedVersions,
  ) {}

  private get channel(): string {
    return this.redis.key('areas', 'changed');
  }

  private get versionKey(): string {
    return this.redis.key('areas', 'version');
  }

  /** A counter shared by every process that changes whenever areas do: part of the key of what is cached from them. */
  version(): Promise<string> {
    return this.versions.get(this.versionKey);
  }

  /** Registers a view to reload; called from the view's constructor, before any message can arrive. */
  onChange(listener: AreaChangeListener): void {
    this.listeners.push(listener);
  }

  async onModuleInit(): Promise<void> {
    this.subscriber = this.redis.duplicate();
    await this.subscriber.subscribe(this.channel);
    this.subscriber.on('message', () => void this.reloadAll());
  }

  /** Tells every process that areas changed (after an import or the demo seed). */
  async announce(): Promise<void> {
    // Before the reload: whatever is cached under the old version (vector tiles) stops being read at once.
    await this.versions.bump(this.versionKey);
    await this.reloadAll();
    await this.redis.client.publish(this.channel, String(Date.now()));
  }

  private async reloadAll(): Promise<void> {
    const outcomes = await Promise.allSettled(this.listeners.map((reload) => reload()));
    // A view that failed to reload (database away) loads again on its next use.
    for (const o of outcomes) if (o.status === 'rejected') this.logger.error({ err: o.reason as unknown }, 'area view reload failed');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
  }
}
