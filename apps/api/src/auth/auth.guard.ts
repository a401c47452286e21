import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthService, ForbiddenError, hasRole, PasswordChangeRequiredError, type Principal, UnauthorizedError } from '@cityops/identity';
import { ACCESS, type Access, DEFAULT_ACCESS, type Policy } from '../http/endpoint.decorator';
import { MetricsAccess } from '../http/metrics-access.service';

export type AuthedRequest = Request & { principal?: Principal };

/** Why a caller may not use a route under its policy, or null when it may. */
export function policyRefusal(policy: Policy, principal: Principal): Error | null {
  switch (principal.kind) {
    case 'display':
      return policy.displays ? null : new ForbiddenError('A display device reads only what the wall shows.');
    case 'feed':
      return policy.feedKeys ? null : new ForbiddenError('A feed key may only push to its feed.');
    case 'user':
      if (principal.mustChangePassword && !policy.beforePasswordChange) return new PasswordChangeRequiredError();
      if (policy.users === 'any') return null;
      if (policy.users === 'none') return new ForbiddenError('Only machines use this route.');
      return hasRole(principal, policy.users) ? null : new ForbiddenError();
  }
}

/**
 * Every route needs a bearer token unless its `@Endpoint` says `public`; its policy says which
 * kinds of caller and which roles may use it. Scope is applied by the services, with the principal.
 */
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
    const refusal = policyRefusal(access, principal);
    if (refusal) throw refusal;
    return true;
  }
}
