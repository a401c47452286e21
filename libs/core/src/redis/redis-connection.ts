import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { unavailableService } from '../errors/service-unavailable';

/**
 * Reconnect attempts come at most a second apart however long Redis is away (ioredis grows to 2 s,
 * BullMQ to 20 s), so every connection is back within a second of Redis.
 */
export function redisRetryStrategy(attempt: number): number {
  return Math.min(attempt * 100, 1000);
}

/** What these options decide; the shape suits both ioredis and BullMQ's connection options. */
export interface RedisConnectionBehaviour {
  maxRetriesPerRequest: number | null;
  connectTimeout: number;
  commandTimeout?: number;
  retryStrategy: (attempt: number) => number;
  enableOfflineQueue?: boolean;
}

/** A server that does not answer the TCP handshake is given up on after this, and tried again. */
const CONNECT_TIMEOUT_MS = 3000;

/** Longest a command may wait for its reply on a connection that went silent (a half-open socket). */
const COMMAND_TIMEOUT_MS = 5000;

/**
 * A connection whose commands serve requests and jobs: while Redis is away a command waits for at
 * most two reconnection attempts (a second or two) and then fails, so a request answers 503 instead
 * of hanging; a short blip is ridden out by the offline queue.
 */
export function commandConnectionOptions(): RedisConnectionBehaviour {
  return {
    maxRetriesPerRequest: 1,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: redisRetryStrategy,
  };
}

/**
 * BullMQ producers (`Queue`): no offline queue, so `add` fails at once while Redis is away (what
 * BullMQ recommends behind an HTTP endpoint). BullMQ itself waits for the first connection.
 */
export function queueConnectionOptions(): RedisConnectionBehaviour {
  return { ...commandConnectionOptions(), enableOfflineQueue: false };
}

/**
 * Connections that wait for Redis however long it takes instead of failing: BullMQ workers (their
 * blocking commands require it) and subscribers, whose subscriptions ioredis renews after every
 * reconnection without awaiting them (a renewal that failed would be an unhandled rejection).
 */
export function waitingConnectionOptions(): RedisConnectionBehaviour {
  return { maxRetriesPerRequest: null, connectTimeout: CONNECT_TIMEOUT_MS, retryStrategy: redisRetryStrategy };
}

/**
 * Logs a connection's outage once when it starts and once when it ends. ioredis reports every
 * failed reconnection attempt (one a second), which would bury everything else in the log; and
 * a connection error without a listener is printed to stderr by ioredis or BullMQ.
 */
export class RedisConnectionWatch {
  private down = false;

  constructor(
    private readonly logger: Logger,
    private readonly connection: string,
  ) {}

  /** For 'error' events: connection failures start an outage; anything else is logged as it comes. */
  readonly error = (err: Error): void => {
    const unavailable = unavailableService(err);
    if (unavailable) this.lost(unavailable.reason);
    else this.logger.error({ err, connection: this.connection }, 'redis client error');
  };

  /** The connection dropped (ioredis 'reconnecting', BullMQ 'ioredis:close'). */
  readonly lost = (reason = 'connection lost'): void => {
    if (this.down) return;
    this.down = true;
    this.logger.warn({ connection: this.connection, reason }, 'redis unreachable: reconnecting');
  };

  /** For 'ready' events (the first connection and every reconnection). */
  readonly ready = (): void => {
    if (!this.down) return;
    this.down = false;
    this.logger.log({ connection: this.connection }, 'redis reachable again');
  };

  /** Watches a plain ioredis client. */
  attach(client: Redis): Redis {
    client.on('error', this.error);
    client.on('reconnecting', () => this.lost());
    client.on('ready', this.ready);
    return client;
  }
}
