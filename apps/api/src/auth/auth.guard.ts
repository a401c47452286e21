import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthService, ForbiddenError, hasRole, type Principal, UnauthorizedError } from '@cityops/identity';
import { ACCESS, type Access, DEFAULT_ACCESS } from '../http/endpoint.decorator';
import { MetricsAccess } from '../http/metrics-access.service';

export type AuthedRequest = Request & { principal?: Principal };

/** Every route needs a bearer token unless its `@Endpoint` says `public`; a list of roles narrows who may call it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly metricsAccess: MetricsAccess,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const access =
      this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [context.getHandler(), context.getClass()]) ?? DEFAULT_ACCESS;
    if (access === 'public') return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    if (access === 'metrics') {
      if (this.metricsAccess.allows(req.headers.authorization, req.ip)) return true;
      throw new UnauthorizedError('The metrics token (METRICS_TOKEN) or an address listed in METRICS_ALLOW is needed.');
    }
    const match = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw new UnauthorizedError();
    const principal = await this.auth.authenticate(match[1]);
    req.principal = principal;
    if (typeof access !== 'string' && !hasRole(principal, access)) throw new ForbiddenError();
    return true;
  }
}
