import { Controller, Get, Header, Headers, Param, Query, Res } from '@nestjs/common';
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
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';
import { LayerCatalog } from '../layers/layer-catalog.service';
import { TileService } from '../layers/tile.service';

/** The map's catalog of layers; big layers come as vector tiles, small live ones as GeoJSON. */
@ApiTags('areas')
@Controller()
export class LayersController {
  constructor(
    private readonly areas: AreaService,
    private readonly catalog: LayerCatalog,
    private readonly tiles: TileService,
  ) {}

  /** The area layers, a layer per located entity feed and per metric of a located reading feed, and the zone sets, theme by theme. */
  @Get('layers')
  @Endpoint({
    summary: 'The layers of the map, theme by theme',
    description:
      'Listed in theme order (`base`, `emergency`, `traffic`, `environment`, `water`, `urban_management`, …, `major_events`, `general`); ' +
      'each entry names its theme. A feed appears once it holds data with a place: an entity feed as `entities-<feed>`, ' +
      'each metric of a reading feed as the heat layer `heat-<feed>~<metric>`.',
    access: { users: 'any', displays: true, scoped: false },
    ok: z.array(layerViewSchema),
  })
  listLayers(): Promise<LayerView[]> {
    return this.catalog.list();
  }

  @Get('tiles/:layer/:z/:x/:y.mvt')
  @Header('Content-Type', 'application/vnd.mapbox-vector-tile')
  // What a tile holds depends on the caller's scope: a browser must not answer one caller's tile to the next.
  @Header('Vary', 'Authorization')
  @Endpoint({
    summary: 'A vector tile of a layer (web-mercator z/x/y)',
    description:
      'Layers: `areas`, `areas-district|street|community|grid`, `entities-<feed>`, `heat-<feed>~<metric>` (readings of the last 15 minutes ' +
      'per 64 px cell: `count`, `mean`). A tile without features is an empty body with status 200. Answers carry an ETag; ' +
      '`If-None-Match` with it answers 304 while the data behind the tile is unchanged.',
    access: { users: 'any', displays: true, scoped: true },
    ok: { schema: vectorTileSchema, contentType: 'application/vnd.mapbox-vector-tile' },
    errors: [400, 404],
  })
  async getTile(
    @Param({ schema: tileParamsSchema }) tile: TileParams,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    const served = await this.tiles.tile(tile.layer, tile.z, tile.x, tile.y, scopeRoots(principal.scope), ifNoneMatch);
    res.setHeader('Cache-Control', served.cacheControl);
    if (served.etag) res.setHeader('ETag', served.etag);
    res.setHeader('X-Tile-Cache', served.cache);
    if (served.body === null) res.status(304).end();
    else res.send(served.body);
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
