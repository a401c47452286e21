import { Injectable } from '@nestjs/common';
import type { HealthReport } from '@cityops/contracts';
import { DatabaseHealthRepository, QueueService, RedisService } from '@cityops/core';

/** A check that does not answer within `ms` counts as down: a health check must answer quickly. */
async function timed<T>(work: () => Promise<T>, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the database, Redis and the queues answer. */
@Injectable()
export class HealthService {
  constructor(
    private readonly database: DatabaseHealthRepository,
    private readonly redis: RedisService,
    private readonly queues: QueueService,
  ) {}

  async report(): Promise<HealthReport> {
    const [db, redis, queues] = await Promise.all([
      timed(() => this.database.postgisVersion())
        .then((postgis) => ({ ok: true, postgis }))
        .catch(() => ({ ok: false })),
      timed(() => this.redis.ping())
        .catch(() => false)
        .then((ok) => ({ ok })),
      timed(() => this.queues.counts())
        .then((counts) => ({ ok: true, counts }))
        .catch(() => ({ ok: false })),
    ]);
    return { status: db.ok && redis.ok && queues.ok ? 'ok' : 'degraded', db, redis, queues };
  }
}
