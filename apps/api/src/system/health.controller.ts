import { Controller, Get, Header, Headers, Ip, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { appConfigViewSchema, healthViewSchema, metricsTextSchema, type AppConfigView, type HealthView } from '@cityops/contracts';
import { MetricsService } from '@cityops/core';
import { Endpoint } from '../http/endpoint.decorator';
import { MetricsAccess } from '../http/metrics-access.service';
import { AppConfigService } from './app-config.service';
import { HealthService } from './health.service';

@ApiTags('system')
@Controller()
export class SystemController {
  constructor(
    private readonly health: HealthService,
    private readonly metricsAccess: MetricsAccess,
    private readonly appConfigs: AppConfigService,
  ) {}

  /**
   * Public on purpose: load balancers and the start script poll it, and it says only up or down.
   * What is missing, and the queues' sizes, only to those who may read the metrics.
   */
  @Get('health')
  @Endpoint({
    summary: 'Whether the service is up (in detail: the database, Redis and the queues)',
    description:
      'Everybody gets `{"status":"ok"}` (200) or `{"status":"down"}` (503). The metrics token (`METRICS_TOKEN`) or a caller ' +
      'from an address in `METRICS_ALLOW` gets the report of each dependency instead.',
    access: 'public',
    detailWith: 'metrics',
    ok: { schema: healthViewSchema, description: 'Up: everything answers.' },
    alsoAnswers: { 503: { schema: healthViewSchema, description: 'Down: something does not answer (the report says what).' } },
  })
  async getHealth(@Headers('authorization') authorization: string | undefined, @Ip() ip: string, @Res() res: Response): Promise<void> {
    const report = await this.health.report();
    const up = report.status === 'ok';
    const view: HealthView = this.metricsAccess.allows(authorization, ip) ? report : { status: up ? 'ok' : 'down' };
    res.status(up ? 200 : 503).json(view);
  }

  @Get('app-config')
  @Endpoint({
    summary: 'What a client needs to draw the city before any data arrives',
    access: { users: 'any', displays: true, scoped: false },
    ok: appConfigViewSchema,
  })
  getAppConfig(): Promise<AppConfigView> {
    return this.appConfigs.view();
  }
}

/** For Prometheus: the metrics token, or a scrape from an address in `METRICS_ALLOW`. */
@ApiTags('system')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Endpoint({
    summary: 'Prometheus metrics',
    description: 'For the metrics token (`METRICS_TOKEN`), or without a token from an address in `METRICS_ALLOW`.',
    access: 'metrics',
    ok: { schema: metricsTextSchema, contentType: 'text/plain' },
    needsServices: false,
  })
  getMetrics(): Promise<string> {
    return this.metrics.render();
  }
}
