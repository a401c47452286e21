import { type INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { RedisConnectionWatch, socketIoKey, waitingConnectionOptions, type AppConfig } from '@cityops/core';

/** socket.io over Redis pub/sub, so events published by any process reach clients of every process. */
export class RedisIoAdapter extends IoAdapter {
  private readonly redisLogger = new Logger(RedisIoAdapter.name);
  private pub: Redis | undefined;
  private sub: Redis | undefined;

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options);
    // The adapter awaits neither its subscriptions nor its publishes: these connections wait out an
    // outage instead of failing them (an unhandled rejection ends the process). Watched, so the
    // outage is logged once instead of a warning per reconnection attempt.
    this.pub ??= new RedisConnectionWatch(this.redisLogger, 'socket.io pub').attach(
      new Redis(this.config.redis.url, waitingConnectionOptions()),
    );
    this.sub ??= new RedisConnectionWatch(this.redisLogger, 'socket.io sub').attach(
      new Redis(this.config.redis.url, waitingConnectionOptions()),
    );
    server.adapter(createAdapter(this.pub, this.sub, { key: socketIoKey(this.config.redis.prefix) }));
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await Promise.all([this.pub?.quit().catch(() => undefined), this.sub?.quit().catch(() => undefined)]);
  }
}
