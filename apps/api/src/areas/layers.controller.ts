import { Controller, Get, Param, Query, Res } from '@nestjs/common';
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
import { mayReadCaseMap } from '../cases/case-access';
import { Endpoint } from '../http/endpoint.decorator';
import { LayerCatalog } from '../layers/layer-catalog.service';
import { TILE_ACCESS, TileRoute } from '../layers/tile-route';

/** The map's catalog of layers; big layers come as vector tiles, small live ones as GeoJSON. */
@ApiTags('areas')
@Controller()
export class LayersController {
  constructor(
    private readonly areas: AreaService,
    private readonly catalog: LayerCatalog,
    private readonly tileRoute: TileRoute,
  ) {}

  /** The area layers, a layer per located entity feed and per metric of a located reading feed, and the zone sets, theme by theme. */
  @Get('layers')
  @Endpoint({
    summary: 'The layers of the map, theme by theme',
    description:
      'Listed in theme order (`base`, `emergency`, `traffic`, `environment`, `water`, `urban_management`, …, `major_events`, `general`); ' +
      'each entry names its theme. A feed appears once it holds data with a place: an entity feed as `entities-<feed>`, ' +
      'each metric of a reading feed as the heat layer `heat-<feed>~<metric>`. A feed with at most 2,000 located entities (an entity ' +
      'feed’s, or the sensors that reported lately of a reading feed) is also a live layer `live-<feed>` (kind `live`: GeoJSON from ' +
      '`url`, kept current by `layer.delta` on `channel`); an entity feed that small is listed only so. Callers who may read cases ' +
      '(and displays) also get `cases` (kind `cases`, theme `urban_management`): open cases from `url` with the view’s `bbox`, kept ' +
      'current by `case.changed` on `channel`.',
    access: { users: 'any', displays: true, scoped: false },
    ok: z.array(layerViewSchema),
  })
  listLayers(@CurrentPrincipal() principal: Principal): Promise<LayerView[]> {
    return this.catalog.list(mayReadCaseMap(principal));
  }

  /**
   * Declared here for the API document, the route table and the authorization matrix; requests are
   * answered by TileRoute, which bootstrap mounts ahead of Nest's router (the same handler serves
   * this one, should it ever be reached).
   */
  @Get('tiles/:layer/:z/:x/:y.mvt')
  @Endpoint({
    summary: 'A vector tile of a layer (web-mercator z/x/y)',
    description:
      'Layers: `areas`, `areas-district|street|community|grid`, `entities-<feed>`, `heat-<feed>~<metric>` (readings of the last 15 minutes ' +
      'per 64 px cell: `count`, `mean`). A tile without features is an empty body with status 200. Answers carry an ETag; ' +
      '`If-None-Match` with it answers 304 while the data behind the tile is unchanged.',
    access: TILE_ACCESS,
    ok: { schema: vectorTileSchema, contentType: 'application/vnd.mapbox-vector-tile' },
    errors: [400, 404],
  })
  getTile(@Param({ schema: tileParamsSchema }) _tile: TileParams, @Res() res: Response): void {
    this.tileRoute.handle(res.req, res, () => undefined);
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
