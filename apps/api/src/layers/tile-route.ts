import { Inject, Injectable } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { Request, RequestHandler, Response } from 'express';
import { findUnstorable, type TileParams, tileParamsSchema } from '@cityops/contracts';
import {
  APP_CONFIG,
  type AppConfig,
  logContext,
  MetricsService,
  ProblemDetailsFilter,
  problemErrors,
  rootLogger,
  ValidationError,
} from '@cityops/core';
import { AuthService, UnauthorizedError } from '@cityops/identity';
import { type AuthedRequest, policyRefusal } from '../auth/auth.guard';
import type { Policy } from '../http/endpoint.decorator';
import { requestIdOf } from '../http/http-pipeline';
import { securityHeaders } from '../http/security-headers';
import { TileService } from './tile.service';

/** The tile route as Express writes it; the controller declares the same path for the document. */
export const TILE_ROUTE = '/api/tiles/:layer/:z/:x/:y.mvt';

/** Who may ask for tiles: the same policy the controller declares (and the authorization matrix checks). */
export const TILE_ACCESS: Policy = { users: 'any', displays: true, scoped: true };

const MVT = 'application/vnd.mapbox-vector-tile';

/** Tile addresses whose parse is remembered; past it the memory starts again (a map's view asks for a few hundred). */
const MAX_PARSED = 20_000;

/**
 * The headers `securityHeaders` gives an API answer, worked out once: they depend on the
 * configuration and the path's kind only, and helmet's eleven middlewares cost more per request
 * than a cached tile.
 */
function apiSecurityHeaders(config: AppConfig): [string, string | number | readonly string[]][] {
  const headers = new Map<string, string | number | readonly string[]>();
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.set(name.toLowerCase(), value),
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
    getHeader: (name: string) => headers.get(name.toLowerCase()),
  };
  let done = false;
  const req = { path: '/api/tiles', method: 'GET', headers: {} };
  securityHeaders(config)(req as Request, res as unknown as Response, () => {
    done = true;
  });
  // helmet runs its middlewares synchronously; if a later version did not, the route must not go without them.
  if (!done) throw new Error('security headers were not set synchronously');
  return [...headers];
}

/**
 * `GET /api/tiles/:layer/:z/:x/:y.mvt` without Nest's per-request machinery. A map asks for
 * dozens of tiles a second, most of them cached, and the generic pipeline (helmet's middlewares,
 * the guards' reflection, the interceptors' observables, the pipe, the access log) cost several
 * times what a cached tile does. Mounted in bootstrap ahead of the other middleware, it keeps
 * every rule of the route itself: the same security headers, request id and latency metric, the
 * bearer token checked by AuthService (its signature once per token, its session at most
 * SESSION_CHECK_SECONDS ago, as on every route), the route's policy, the caller's scope, the
 * params' schema (400), and problem+json for every error through the global filter.
 */
@Injectable()
export class TileRoute {
  private readonly headers: [string, string | number | readonly string[]][];
  private readonly filter = new ProblemDetailsFilter();
  /**
   * The schema's answer for addresses it accepted, by the raw params: parsing is pure, so a
   * remembered answer is the one it would give again, at a Map lookup's cost instead of zod's
   * (a third of the route's own time on a cached tile). Refused addresses are parsed every time.
   */
  private parsed = new Map<string, TileParams>();

  constructor(
    private readonly auth: AuthService,
    private readonly tiles: TileService,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.headers = apiSecurityHeaders(config);
  }

  /** The Express handler (bound). */
  readonly handle: RequestHandler = (req: Request & { id?: string }, res: Response): void => {
    const started = process.hrtime.bigint();
    const id = requestIdOf(req);
    req.id = id;
    for (const [name, value] of this.headers) res.setHeader(name, value);
    res.setHeader('X-Request-Id', id);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.httpDuration.observe({ method: req.method, route: TILE_ROUTE, status: String(res.statusCode) }, seconds);
      // Every tile in the access log would drown it (a map asks for hundreds): answered tiles at debug, refusals as other routes log them.
      const line = {
        requestId: id,
        method: req.method,
        url: req.originalUrl.split('?')[0],
        status: res.statusCode,
        ms: Math.round(seconds * 1000),
      };
      if (res.statusCode >= 400) rootLogger().info(line, 'request');
      else rootLogger().debug(line, 'request');
    });
    logContext.run({ requestId: id }, () => {
      this.serve(req, res, started).catch((error: unknown) => this.filter.catch(error, new ExecutionContextHost([req, res])));
    });
  };

  private async serve(req: AuthedRequest, res: Response, started: bigint): Promise<void> {
    const match = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw new UnauthorizedError();
    const principal = await this.auth.authenticate(match[1]);
    req.principal = principal;
    const refusal = policyRefusal(TILE_ACCESS, principal);
    if (refusal) throw refusal;

    const { layer, z, x, y } = this.parse(req.params);

    const ifNoneMatch = req.headers['if-none-match'];
    const served = await this.tiles.tile(layer, z, x, y, principal, ifNoneMatch);
    res.setHeader('Content-Type', MVT);
    // What a tile holds depends on the caller's scope: a browser must not answer one caller's tile to the next.
    res.setHeader('Vary', 'Authorization');
    res.setHeader('Cache-Control', served.cacheControl);
    if (served.etag) res.setHeader('ETag', served.etag);
    res.setHeader('X-Tile-Cache', served.cache);
    const timing = Object.entries(served.timing).map(([name, ms]) => `${name};dur=${ms.toFixed(2)}`);
    // What the route's own work took beside them: the part a tile server adds to its queries.
    timing.push(`total;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(2)}`);
    res.setHeader('Server-Timing', timing.join(', '));
    if (served.body === null) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.statusCode = 200;
    res.setHeader('Content-Length', served.body.length);
    res.end(served.body);
  }

  private parse(params: Request['params']): TileParams {
    // JSON, not a join: a decoded param may hold the separator, and two addresses must never share a key.
    const raw = JSON.stringify([params.layer, params.z, params.x, params.y]);
    const known = this.parsed.get(raw);
    if (known) return known;
    const unstorable = findUnstorable(params);
    if (unstorable) throw new ValidationError(problemErrors([{ path: unstorable.path, message: unstorable.message }]));
    const parsed = tileParamsSchema.safeParse(params);
    if (!parsed.success) throw new ValidationError(problemErrors(parsed.error.issues));
    if (this.parsed.size >= MAX_PARSED) this.parsed = new Map();
    this.parsed.set(raw, parsed.data);
    return parsed.data;
  }
}
