import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisService } from './redis.service';

/** A version read from Redis is answered from memory for at most this long, even if no change is heard. */
export const SHARED_VERSION_MAX_AGE_MS = 1000;

/**
 * Counters in Redis that change whenever some data does (the areas, an entity feed's entities):
 * part of the key of what is cached from that data (vector tiles), in every process alike.
 *
 * Read on every cached tile, a counter would cost a Redis round trip each time, more than the
 * rest of the answer. So a process holds the values it read and drops one as soon as it hears it
 * changed: `bump` increments the counter and announces the key on a channel every process that
 * reads versions subscribes to. A value is held only while that subscription is up (a change
 * announced while it is down would go unheard) and for at most SHARED_VERSION_MAX_AGE_MS, so even
 * a lost announcement is outlived within a second. The process that bumps forgets its own copy
 * before it answers, so its next read sees the change.
 */
@Injectable()
export class SharedVersions implements OnApplicationShutdown {
  private readonly held = new Map<string, { value: string; at: number }>();
  private subscriber: Redis | undefined;
  private listening = false;
  private closed = false;
  /** Changes with every forgetting: a read that started before one must not store what it read. */
  private epoch = 0;

  constructor(private readonly redis: RedisService) {}

  private get channel(): string {
    return this.redis.key('versions', 'changed');
  }

  /** The counter's value ('0' before its first bump). */
  async get(key: string): Promise<string> {
    this.listen();
    const now = Date.now();
    const held = this.held.get(key);
    if (held !== undefined && this.listening && now - held.at < SHARED_VERSION_MAX_AGE_MS) return held.value;
    const epoch = this.epoch;
    const value = (await this.redis.client.get(key)) ?? '0';
    if (this.listening && epoch === this.epoch) this.held.set(key, { value, at: now });
    return value;
  }

  /** Increments the counter and tells every process; resolves once both are done. */
  async bump(key: string): Promise<void> {
    await this.redis.client.incr(key);
    this.forget(key);
    await this.redis.client.publish(this.channel, key);
  }

  /** Whether values are being held (the subscription is up); for tests and the health of the cache. */
  get holding(): boolean {
    return this.listening;
  }

  /** Subscribes on the first read: processes that only bump (the worker) hold no subscriber. */
  private listen(): void {
    if (this.subscriber || this.closed) return;
    const subscriber = this.redis.duplicate('versions');
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string, key: string) => {
      if (channel === this.channel) this.forget(key);
    });
    // Down: anything held may miss a change from now on.
    const deafen = () => {
      this.listening = false;
      this.epoch++;
      this.held.clear();
    };
    subscriber.on('close', deafen);
    subscriber.on('end', deafen);
    // Up again: ioredis renews the subscription by itself without awaiting it; holding starts once
    // this subscribe is acknowledged, which Redis answers after the renewal sent before it.
    subscriber.on('ready', () => this.subscribe(subscriber));
    this.subscribe(subscriber);
  }

  private subscribe(subscriber: Redis): void {
    subscriber.subscribe(this.channel).then(
      () => {
        if (subscriber.status === 'ready') this.listening = true;
      },
      () => undefined,
    );
  }

  private forget(key: string): void {
    this.epoch++;
    this.held.delete(key);
  }

  async onApplicationShutdown(): Promise<void> {
    const subscriber = this.subscriber;
    this.closed = true;
    this.listening = false;
    await subscriber?.quit().catch(() => undefined);
  }
}
