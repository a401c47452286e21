import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { MetricsService, PinoNestLogger, ProblemDetailsFilter, type AppConfig } from '@cityops/core';
import { AuditService } from '@cityops/identity';
import { RedisIoAdapter } from '@cityops/live';
import { ApiModule } from './app.module';
import { auditWrites } from './audit/write-audit';
import { trustProxy } from './http/client-address';
import { bodyParsers, earlyErrorHandler, problemOnClientError, requestContext, serveWebApp } from './http/http-pipeline';
import { createApiDocument } from './http/openapi-document';
import { securityHeaders } from './http/security-headers';
import { TILE_ROUTE, TileRoute } from './layers/tile-route';

/** Builds the API application (HTTP + socket.io); `main` and the tests both use it. */
export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    bodyParser: false,
    logger: new PinoNestLogger(),
    abortOnError: false,
  });
  app.enableShutdownHooks();
  app.set('trust proxy', trustProxy(config));
  app.disable('x-powered-by');
  problemOnClientError(app.getHttpServer());
  const express = app.getHttpAdapter().getInstance();
  // Ahead of everything else: the tile route does what of it applies to tiles itself (see TileRoute).
  express.get(TILE_ROUTE, app.get(TileRoute).handle);
  express.use(securityHeaders(config));
  express.use(requestContext(app.get(MetricsService)));
  express.use(bodyParsers(config));
  // Every write route leaves an audit event once answered; services note what they changed.
  express.use(auditWrites(app.get(AuditService)));
  express.use(earlyErrorHandler(new ProblemDetailsFilter()));
  // Open311 GeoReport v2 has its own root (its clients are configured with an endpoint URL, /open311/v2).
  app.setGlobalPrefix('api', { exclude: ['metrics', 'open311/v2/*path'] });
  app.useWebSocketAdapter(new RedisIoAdapter(app, config));

  if (config.apiDocsEnabled) {
    // The API's shape, no data: public where it is served, so a browser opens it without a token.
    SwaggerModule.setup('api/docs', app, () => createApiDocument(app));
  }

  // Before init: Nest adds its not-found handler at the end of the chain when it initialises.
  serveWebApp(express, config);
  await app.init();
  return app;
}
