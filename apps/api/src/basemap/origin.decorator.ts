import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The origin the client reached the API at, for the absolute URLs of a style and a TileJSON
 * (MapLibre resolves them as given). Behind a proxy, scheme and host are what `trust proxy` allows.
 */
export const OriginOf = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<Request>();
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
});
