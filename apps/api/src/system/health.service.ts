import { Injectable } from '@nestjs/common';
import { CasePhotoStore, S3CasePhotoStore } from '@cityops/cases';
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

/** Whether the database, Redis and the queues answer; and the photo storage, reported beside them. */
@Injectable()
export class HealthService {
  constructor(
    private readonly database: DatabaseHealthRepository,
    private readonly redis: RedisService,
    private readonly queues: QueueService,
    private readonly photos: CasePhotoStore,
  ) {}

  async report(): Promise<HealthReport> {
    const [db, redis, queues, photos] = await Promise.all([
      timed(() => this.database.postgisVersion())
        .then((postgis) => ({ ok: true, postgis }))
        .catch(() => ({ ok: false })),
      timed(() => this.redis.ping())
        .catch(() => false)
        .then((ok) => ({ ok })),
      timed(() => this.queues.counts())
        .then((counts) => ({ ok: true, counts }))
        .catch(() => ({ ok: false })),
      timed(() => this.photos.check())
        .then(() => true)
        .catch(() => false)
        .then((ok) => ({ ok, storage: this.photos instanceof S3CasePhotoStore ? ('s3' as const) : ('directory' as const) })),
    ]);
    // The photo storage does not count: all processes share it, and without it only photos fail.
    return { status: db.ok && redis.ok && queues.ok ? 'ok' : 'degraded', db, redis, queues, photos };
  }
}
