import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { type Server, STATUS_CODES } from 'node:http';
import { extname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { CASE_PHOTO_MAX_BYTES, type ProblemDetails } from '@cityops/contracts';
import {
  logContext,
  type MetricsService,
  type ProblemDetailsFilter,
  problemTitle,
  RETRY_AFTER_SECONDS,
  rootLogger,
  type AppConfig,
} from '@cityops/core';
import { OPEN311_PATH, sendOpen311Errors } from '../open311/open311-error.filter';

/** The caller's `X-Request-Id` when it is a plain token, else a new one. */
export function requestIdOf(req: Request): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
}

/** Request id, access log and latency metric for every request. */
export function requestContext(metrics: MetricsService) {
  return (req: Request & { id?: string }, res: Response, next: NextFunction): void => {
    const id = requestIdOf(req);
    req.id = id;
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const api = req.originalUrl.startsWith('/api') || OPEN311_PATH.test(req.originalUrl);
      const route = (req.route as { path?: string } | undefined)?.path ?? (api ? 'unmatched' : 'static');
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      if (api) {
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
  const tiny = express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] });
  // Any content type: the photo's type is told by its bytes, never by what the client says it is.
  const photo = express.raw({ limit: CASE_PHOTO_MAX_BYTES, type: () => true });
  // Open311 clients post form-encoded (the spec's examples) or JSON; a request is small.
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'POST' && /^\/api\/feeds\/[^/]+\/records\/?$/.test(req.path)) return next();
    if (req.method === 'POST' && /^\/api\/(public\/)?cases\/[^/]+\/photos\/?$/.test(req.path)) return photo(req, res, next);
    // The public's forms are short: a body far beyond them is refused before it is parsed.
    if (req.path.startsWith('/api/public/')) return tiny(req, res, next);
    if (OPEN311_PATH.test(req.path)) return form(req, res, (error?: unknown) => (error ? next(error) : small(req, res, next)));
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
    if (problem.status >= 500) rootLogger().error({ err }, 'unhandled error before routing');
    // Open311 clients read errors in the spec's format, whatever went wrong.
    if (OPEN311_PATH.test(req.path)) return sendOpen311Errors(res, req.path, problem);
    problem.instance = req.originalUrl;
    if (req.id) problem.requestId = req.id;
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
  app.use('/assets', precompressedAssets(join(dir, 'assets')));
  app.use(express.static(dir, { index: false, maxAge: '1h' }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (
      req.method !== 'GET' ||
      req.path.startsWith('/api') ||
      req.path.startsWith('/socket.io') ||
      req.path === '/metrics' ||
      OPEN311_PATH.test(req.path)
    )
      return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
}

/** A built asset's name: hashed by Vite, so its bytes never change under it. */
const ASSET_NAME = /^\/[\w.-]+$/;

/**
 * The build's assets as the `.br` or `.gz` written beside them at build time (apps/web/build/
 * precompress.ts), whichever the client takes, else nothing (express.static sends the file as
 * is). Their names carry their hash: cached for a year.
 */
function precompressedAssets(assets: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !ASSET_NAME.test(req.path)) return next();
    res.setHeader('Vary', 'Accept-Encoding');
    // Brotli whenever taken: browsers list gzip first, with the same weight.
    const encoding = req.acceptsEncodings('br') === 'br' ? 'br' : req.acceptsEncodings('gzip') === 'gzip' ? 'gzip' : null;
    if (!encoding) return next();
    const file = join(assets, req.path);
    const suffix = encoding === 'br' ? '.br' : '.gz';
    if (!existsSync(file + suffix)) return next();
    res.setHeader('Content-Encoding', encoding);
    res.type(extname(file));
    res.sendFile(file + suffix, { maxAge: '365d', immutable: true }, (err) => {
      if (err) next(err);
    });
  };
}

/** Node's parser errors and the status Node itself would answer them with. */
const CLIENT_ERROR_STATUS: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * Node's HTTP parser answers a request it cannot parse (400), oversized headers (431) and one that
 * takes too long to arrive (408) itself, before Express sees it, with an empty body. These are the
 * same answers as problem+json. As in Node's own handler, only a socket that is still open and has
 * not begun another answer gets one; the connection is closed after it.
 */
export function problemOnClientError(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
    if (error.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) {
      const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? 400;
      const problem: ProblemDetails = {
        type: 'about:blank',
        title: problemTitle(status),
        status,
        detail:
          status === 431
            ? 'The request headers are larger than this server accepts.'
            : status === 408
              ? 'The request did not arrive in time.'
              : status === 413
                ? 'The chunk extensions of the request are larger than this server accepts.'
                : `The request is not valid HTTP (${error.code ?? 'unparsable'}).`,
      };
      const body = JSON.stringify(problem);
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  });
}
