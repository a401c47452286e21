import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { logContext, type MetricsService, type ProblemDetailsFilter, RETRY_AFTER_SECONDS, rootLogger, type AppConfig } from '@cityops/core';

/** Request id, access log and latency metric for every request. */
export function requestContext(metrics: MetricsService) {
  return (req: Request & { id?: string }, res: Response, next: NextFunction): void => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (req.route as { path?: string } | undefined)?.path ?? (req.originalUrl.startsWith('/api') ? 'unmatched' : 'static');
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      if (req.originalUrl.startsWith('/api')) {
        rootLogger().info(
          { requestId: id, method: req.method, url: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(seconds * 1000) },
          'request',
        );
      }
    });
    logContext.run({ requestId: id }, next);
  };
}

/**
 * JSON bodies for everything but record ingest, which reads (and streams) its own body in any of
 * its formats. Area imports and entity pushes may be large; everything else stays small.
 */
export function bodyParsers(config: AppConfig) {
  const large = express.json({ limit: config.ingestMaxBodyBytes, type: ['application/json', 'application/*+json'] });
  const small = express.json({ limit: '2mb', type: ['application/json', 'application/*+json'] });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'POST' && /^\/api\/feeds\/[^/]+\/records\/?$/.test(req.path)) return next();
    const isLarge =
      (req.method === 'POST' && req.path === '/api/areas/import') ||
      (req.method === 'PUT' && /^\/api\/feeds\/[^/]+\/entities\/?$/.test(req.path));
    (isLarge ? large : small)(req, res, next);
  };
}

/** Errors raised before Nest's router (body parsing) still answer as problem+json. */
export function earlyErrorHandler(filter: ProblemDetailsFilter) {
  return (err: unknown, req: Request & { id?: string }, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    const problem = filter.toProblem(err);
    problem.instance = req.originalUrl;
    if (req.id) problem.requestId = req.id;
    if (problem.status >= 500) rootLogger().error({ err }, 'unhandled error before routing');
    if (problem.status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  };
}

/** Serves the built web app; unknown non-API paths get index.html so client routes work. */
export function serveWebApp(app: Express, config: AppConfig): void {
  const dir = config.webDistDir;
  if (!existsSync(join(dir, 'index.html'))) {
    rootLogger().warn(
      { dir },
      'web app not built here, so / serves nothing: run `npm run build:web` (under `npm run dev`, Vite serves it)',
    );
    return;
  }
  app.use(express.static(dir, { index: false, maxAge: '1h' }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api') || req.path.startsWith('/socket.io') || req.path === '/metrics') return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
}
