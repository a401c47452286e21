import { type CanActivate, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig, RateLimitService, unavailableService } from '@cityops/core';
import type { AuthedRequest } from '../auth/auth.guard';

/** Which per-caller budget a route spends: record pushes have their own, larger one. */
export type RateLimitKind = 'ingest' | 'writes';

export const RATE_LIMIT = 'cityops:rate-limit';

/** Puts a route on the `ingest` budget; writes need nothing (every non-GET route spends `writes`). */
export const RateLimit = (kind: RateLimitKind) => SetMetadata(RATE_LIMIT, kind);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Requests per minute per caller (user, kiosk or feed token), counted in Redis so that every API
 * process shares one budget: `RATE_LIMIT_INGEST_PER_MINUTE` for record and entity pushes,
 * `RATE_LIMIT_WRITES_PER_MINUTE` for every other write. Reads are not limited. Runs after the
 * AuthGuard, which found the caller; public routes (sign-in) limit themselves.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const principal = req.principal;
    if (!principal) return true;
    const kind =
      this.reflector.get<RateLimitKind | undefined>(RATE_LIMIT, context.getHandler()) ??
      (SAFE_METHODS.has(req.method) ? undefined : 'writes');
    if (!kind) return true;
    const limit = kind === 'ingest' ? this.config.rateLimits.ingest : this.config.rateLimits.writes;
    try {
      await this.limits.consume(`${kind === 'ingest' ? 'pushes' : 'writes'} by this caller (${limit} a minute)`, [
        { bucket: [kind, principal.kind, principal.subject], limit },
      ]);
    } catch (error) {
      // While Redis is away the count is skipped, not the request: acknowledging an alert must
      // not wait for Redis (the connection's own watch logs the outage). Sign-in does not do this.
      if (!unavailableService(error)) throw error;
    }
    return true;
  }
}
