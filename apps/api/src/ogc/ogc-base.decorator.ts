import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The absolute URL of `/api/ogc` as the client reached it, for the links of every answer (GIS
 * clients follow them as given). Behind a proxy, scheme and host are what `trust proxy` allows.
 */
export const OgcBase = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<Request>();
  return `${req.protocol}://${req.get('host') ?? 'localhost'}/api/ogc`;
});
