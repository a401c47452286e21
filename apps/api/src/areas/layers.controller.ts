import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import {
  areaFeatureCollectionSchema,
  bboxQuerySchema,
  layerKeyParamsSchema,
  layerViewSchema,
  tileParamsSchema,
  vectorTileSchema,
  type BboxQuery,
  type LayerKeyParams,
  type LayerView,
  type TileParams,
} from '@cityops/contracts';
import { NotFoundError } from '@cityops/core';
import { AreaService } from '@cityops/geo';
import { type Principal, scopeRoots } from '@cityops/identity';
import { SceneService } from '@cityops/scenes';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';

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
@ApiTags('areas')
@Controller()
export class LayersController {
  constructor(
    private readonly areas: AreaService,
    private readonly scenes: SceneService,
  ) {}

  /** The areas, then one layer per zone set in the data, linked to the indicator its scene shows. */
  @Get('layers')
  @Endpoint({ summary: 'The layers of the map', access: { users: 'any', displays: true, scoped: false }, ok: z.array(layerViewSchema) })
  async listLayers(): Promise<LayerView[]> {
    return [AREAS_LAYER, ...(await this.scenes.zoneSetLayers())];
  }

  @Get('tiles/:layer/:z/:x/:y.mvt')
  @Header('Content-Type', 'application/vnd.mapbox-vector-tile')
  @Header('Cache-Control', 'private, max-age=300')
  // What a tile holds depends on the caller's scope: a browser must not answer one caller's tile to the next.
  @Header('Vary', 'Authorization')
  @Endpoint({
    summary: 'A vector tile of a layer (web-mercator z/x/y)',
    access: { users: 'any', displays: true, scoped: true },
    ok: { schema: vectorTileSchema, contentType: 'application/vnd.mapbox-vector-tile' },
    errors: [400, 404],
  })
  async getTile(
    @Param({ schema: tileParamsSchema }) tile: TileParams,
    @Res() res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    if (tile.layer !== 'areas') throw new NotFoundError(`Layer ${tile.layer}`);
    res.send(await this.areas.tile(tile.z, tile.x, tile.y, scopeRoots(principal.scope)));
  }

  @Get('layers/:layer/features')
  @Endpoint({
    summary: 'The features of a layer in a box, as GeoJSON',
    access: { users: 'any', displays: true, scoped: true },
    ok: areaFeatureCollectionSchema,
    errors: [400, 404],
  })
  getLayerFeatures(
    @Param({ schema: layerKeyParamsSchema }) { layer }: LayerKeyParams,
    @Query({ schema: bboxQuerySchema }) query: BboxQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    if (layer !== 'areas') throw new NotFoundError(`Layer ${layer}`);
    return this.areas.features(query.bbox, query.level, query.limit, scopeRoots(principal.scope));
  }
}
