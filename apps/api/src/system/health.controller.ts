import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { appConfigViewSchema, healthViewSchema, metricsTextSchema, type AppConfigView, type HealthView } from '@cityops/contracts';
import { DatabaseHealthRepository, MetricsService, QueueService, RedisService } from '@cityops/core';
import { Endpoint } from '../http/endpoint.decorator';
import { AppConfigService } from './app-config.service';

async function timed<T>(work: () => Promise<T>, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('system')
@Controller()
export class SystemController {
  constructor(
    private readonly database: DatabaseHealthRepository,
    private readonly redis: RedisService,
    private readonly queues: QueueService,
    private readonly appConfigs: AppConfigService,
  ) {}

  /** Public on purpose: load balancers and the start script poll it. Says nothing secret. */
  @Get('health')
  @Endpoint({
    summary: 'Whether the database, Redis and the queues answer',
    access: 'public',
    ok: { schema: healthViewSchema, description: 'Everything answers.' },
    alsoAnswers: { 503: { schema: healthViewSchema, description: 'Something does not answer: the report says what.' } },
  })
  async getHealth(@Res() res: Response): Promise<void> {
    const db = await timed(() => this.database.postgisVersion())
      .then((postgis) => ({ ok: true, postgis }))
      .catch(() => ({ ok: false }));
    const redis = { ok: await timed(() => this.redis.ping()).catch(() => false) };
    const queues = await timed(() => this.queues.counts())
      .then((counts) => ({ ok: true, counts }))
      .catch(() => ({ ok: false }));
    const ok = db.ok && redis.ok && queues.ok;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', db, redis, queues } satisfies HealthView);
  }

  @Get('app-config')
  @Endpoint({ summary: 'What a client needs to draw the city before any data arrives', access: 'signed-in', ok: appConfigViewSchema })
  getAppConfig(): Promise<AppConfigView> {
    return this.appConfigs.view();
  }
}

/** Prometheus scrapes without a token on the internal network, as is usual; it holds no personal data. */
@ApiTags('system')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Endpoint({
    summary: 'Prometheus metrics',
    access: 'public',
    ok: { schema: metricsTextSchema, contentType: 'text/plain' },
    needsServices: false,
  })
  getMetrics(): Promise<string> {
    return this.metrics.render();
  }
}
