import { Controller, Get, Header, Param, ParseIntPipe, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { areaLevelSchema, type LayerView } from '@cityops/contracts';
import { NotFoundException, parseOrThrow, ValidationException } from '@cityops/core';
import { AreaService } from '@cityops/geo';
import { SceneService } from '@cityops/scenes';

const bboxQuerySchema = z.object({
  bbox: z
    .string()
    .transform((s) => s.split(',').map(Number))
    .refine((b) => b.length === 4 && b.every(Number.isFinite) && b[0] < b[2] && b[1] < b[3], 'bbox is minLon,minLat,maxLon,maxLat'),
  level: areaLevelSchema.optional(),
  limit: z.coerce.number().int().min(1).max(20000).default(5000),
});

/** Every area, served by this controller's tile and feature routes. */
const AREAS_LAYER: LayerView = {
  key: 'areas',
  name: '行政区划与网格',
  nameEn: 'Administrative areas and grids',
  kind: 'vector',
  tiles: '/api/tiles/areas/{z}/{x}/{y}.mvt',
  sourceLayer: 'areas',
  minzoom: 0,
  maxzoom: 16,
  featuresUrl: '/api/layers/areas/features?bbox={bbox}',
};

/** The map's catalog of layers; big layers come as vector tiles, small live ones as GeoJSON. */
@Controller()
export class LayersController {
  constructor(
    private readonly areas: AreaService,
    private readonly scenes: SceneService,
  ) {}

  /** The areas, then one layer per zone set in the data, linked to the indicator its scene shows. */
  @Get('layers')
  async catalog(): Promise<LayerView[]> {
    return [AREAS_LAYER, ...(await this.scenes.zoneSetLayers())];
  }

  @Get('tiles/:layer/:z/:x/:y.mvt')
  @Header('Content-Type', 'application/vnd.mapbox-vector-tile')
  @Header('Cache-Control', 'private, max-age=300')
  async tile(
    @Param('layer') layer: string,
    @Param('z', ParseIntPipe) z: number,
    @Param('x', ParseIntPipe) x: number,
    @Param('y', ParseIntPipe) y: number,
    @Res() res: Response,
  ): Promise<void> {
    if (layer !== 'areas') throw new NotFoundException(`Layer ${layer}`);
    if (z < 0 || z > 22 || x < 0 || y < 0 || x >= 2 ** z || y >= 2 ** z) {
      throw new ValidationException([{ path: 'z/x/y', message: 'not a tile of the web-mercator pyramid' }]);
    }
    res.send(await this.areas.tile(z, x, y));
  }

  @Get('layers/:layer/features')
  features(@Param('layer') layer: string, @Query() query: unknown) {
    if (layer !== 'areas') throw new NotFoundException(`Layer ${layer}`);
    const q = parseOrThrow(bboxQuerySchema, query);
    return this.areas.features(q.bbox as [number, number, number, number], q.level, q.limit);
  }
}
