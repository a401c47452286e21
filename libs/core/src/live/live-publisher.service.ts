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

/** Where one item of a scoped event lies, so that each listener gets only what its scope may see. */
export interface LivePlace {
  /** The areas the item belongs to (a listener whose scope holds any of them hears it); null: every listener. */
  areaIds: readonly number[] | null;
  /** A department whose people hear the item whatever their area scope. */
  department?: string | null;
}

/**
 * Where a list item was before it moved, and what stands for it there: a scoped listener that
 * could see it there but cannot see where it is now hears `item` (its removal) in its stead, so
 * it does not keep what left its scope. A listener that never saw the old place hears neither.
 */
export interface LiveDeparture {
  from: LivePlace;
  item: unknown;
}

/**
 * An event whose content depends on the listener's area scope: an alert, an indicator's values
 * per area, every feed's health. Its payload is one item (`place`) or carries a list (`list`: the
 * payload's property and each item's place, in order) that is cut to each listener's scope;
 * `departures` (in the same order, null for an item that did not move) say where items were
 * before. City-wide listeners get the payload as it is.
 */
export interface ScopedLiveEvent {
  /** The channel clients subscribe to (`alerts`, `indicator:<key>`, `feeds`); also the room of city-wide listeners. */
  channel: string;
  event: string;
  payload: unknown;
  place?: LivePlace;
  list?: { key: string; places: readonly LivePlace[]; departures?: readonly (LiveDeparture | null)[] };
}

/** The server-side message that carries a scoped event to every API process's gateway. */
export const SCOPED_LIVE_EVENT = 'cityops:scoped-event';

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

  /**
   * Publishes an event that not every listener of its channel may hear whole. City-wide listeners
   * sit in the channel's room and get it as it is; a room cannot cut a payload per listener, so
   * the event also goes, with the place of each item, to every API process (a server-side emit
   * over the same Redis), whose gateway hands each of its scoped sockets the part its scope sees.
   */
  publishScoped(scoped: ScopedLiveEvent): void {
    const live = this.emitter.of(LIVE_NAMESPACE);
    live.to(scoped.channel).emit(scoped.event, scoped.payload);
    live.serverSideEmit(SCOPED_LIVE_EVENT, scoped);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
