import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@cityops/identity';
import type { AuthedRequest } from './auth.guard';

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});
