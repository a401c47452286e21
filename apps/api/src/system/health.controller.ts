import { Controller, Get, Header, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type { AppConfigView } from '@cityops/contracts';
import { MetricsService, QueueService, RedisService } from '@cityops/core';
import { Public } from '../auth/public.decorator';
import { AppConfigService } from './app-config.service';

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
    private readonly redis: RedisService,
    private readonly queues: QueueService,
    private readonly appConfigs: AppConfigService,
  ) {}

  /** Public on purpose: load balancers and the start script poll it. Says nothing secret. */
  @Public()
  @Get('health')
  async health(@Res() res: Response): Promise<void> {
    const db = await timed(async () => (await this.db.query<{ v: string }[]>(`SELECT postgis_lib_version() AS v`))[0].v)
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
  appConfig(): Promise<AppConfigView> {
    return this.appConfigs.view();
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
