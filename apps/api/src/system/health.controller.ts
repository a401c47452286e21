import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type { AppConfigView } from '@cityops/contracts';
import { APP_CONFIG, type AppConfig, DatabaseHealthRepository, MetricsService, QueueService, RedisService } from '@cityops/core';
import { Public } from '../auth/public.decorator';

async function timed<T>(work: () => Promise<T>, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

@Controller()
export class SystemController {
  constructor(
    private readonly db: DataSource,
    private readonly database: DatabaseHealthRepository,
    private readonly redis: RedisService,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Public on purpose: load balancers and the start script poll it. Says nothing secret. */
  @Public()
  @Get('health')
  async health(@Res() res: Response): Promise<void> {
    const db = await timed(() => this.database.postgisVersion())
      .then((postgis) => ({ ok: true, postgis }))
      .catch(() => ({ ok: false }));
    const redis = { ok: await timed(() => this.redis.ping()).catch(() => false) };
    const queues = await timed(() => this.queues.counts())
      .then((counts) => ({ ok: true, counts }))
      .catch(() => ({ ok: false }));
    const ok = db.ok && redis.ok && queues.ok;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', db, redis, queues });
  }

  @Get('app-config')
  async appConfig(): Promise<AppConfigView> {
    const [{ demo }] = await this.db.query<[{ demo: boolean }]>(`SELECT coalesce(bool_or(is_demo), false) AS demo FROM area`);
    return {
      basemapStyleUrl: this.config.basemapStyleUrl ?? null,
      city: {
        name: '广州市',
        nameEn: 'Guangzhou',
        center: [113.3245, 23.1291],
        bounds: [
          [112.95, 22.55],
          [114.06, 23.95],
        ],
      },
      demo,
    };
  }
}

/** Prometheus scrapes without a token on the internal network, as is usual; it holds no personal data. */
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Public()
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  render(): Promise<string> {
    return this.metrics.render();
  }
}
