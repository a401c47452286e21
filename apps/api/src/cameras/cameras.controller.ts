import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import {
  cameraParamsSchema,
  camerasInAreaQuerySchema,
  cameraSnapshotSchema,
  cameraViewSchema,
  nearestCamerasQuerySchema,
  type CameraParams,
  type CamerasInAreaQuery,
  type CameraView,
  type NearestCamerasQuery,
} from '@cityops/contracts';
import { CameraService } from '@cityops/feeds';
import { type Principal, scopeRoots } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';
import { cameraSnapshotSvg, SNAPSHOT_CONTENT_TYPE, SNAPSHOT_CSP } from './camera-snapshot';

/** The wall shows cameras next to what it shows: displays read them too, within their scope. */
const READ = { users: 'any', displays: true, scoped: true } as const;

@ApiTags('cameras')
@Controller('cameras')
export class CamerasController {
  constructor(private readonly cameras: CameraService) {}

  @Get()
  @Endpoint({
    summary: 'The cameras of an area (any level), or near a zone',
    access: READ,
    ok: z.array(cameraViewSchema),
    errors: [400, 404],
  })
  inArea(
    @Query({ schema: camerasInAreaQuerySchema }) q: CamerasInAreaQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CameraView[]> {
    return this.cameras.inArea(q.area, q.buffer, q.limit, scopeRoots(principal.scope), q.feed ?? null);
  }

  @Get('nearest')
  @Endpoint({ summary: 'The cameras nearest to a point', access: READ, ok: z.array(cameraViewSchema), errors: [400] })
  nearest(
    @Query({ schema: nearestCamerasQuerySchema }) q: NearestCamerasQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CameraView[]> {
    return this.cameras.nearest(q.lon, q.lat, q.radius, q.limit, scopeRoots(principal.scope));
  }

  /**
   * Fetched by the web app with its bearer token and shown from a blob URL, as every other
   * answer of the API: no token in a URL, where logs and the Referer would keep it.
   */
  @Get(':feed/:id/snapshot')
  @Endpoint({
    summary: 'A placeholder frame of a camera (SVG): its name, the time, a demo badge',
    access: READ,
    ok: { schema: cameraSnapshotSchema, contentType: 'image/svg+xml' },
    errors: [400, 404],
  })
  async snapshot(
    @Param({ schema: cameraParamsSchema }) { feed, id }: CameraParams,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    const camera = await this.cameras.get(feed, id, scopeRoots(principal.scope));
    res.setHeader('Content-Type', SNAPSHOT_CONTENT_TYPE);
    res.setHeader('Content-Security-Policy', SNAPSHOT_CSP);
    res.send(cameraSnapshotSvg(camera, camera.demo, new Date()));
  }
}
