import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ENTITY_SERIES_MAX_PROPS,
  entityParamsSchema,
  entitySeriesQuerySchema,
  entitySeriesSchema,
  feedKeyParamsSchema,
  liveFeatureCollectionSchema,
  type EntityParams,
  type EntitySeries,
  type EntitySeriesQuery,
  type FeedKeyParams,
  type LiveFeatureCollection,
} from '@cityops/contracts';
import { LiveLayerService } from '@cityops/feeds';
import { type Principal, scopeRoots } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';
import { EntityTrendService } from './entity-trend.service';

/** The small live layers (read whole here, then kept current by `layer.delta` on `layer:<feed>`) and an entity's trend. */
@ApiTags('areas')
@Controller()
export class LiveLayersController {
  constructor(
    private readonly liveLayers: LiveLayerService,
    private readonly trends: EntityTrendService,
  ) {}

  @Get('feeds/:key/live')
  @Endpoint({
    summary: 'A feed’s current located entities as GeoJSON (a live layer, whole)',
    description:
      'An entity feed’s located entities, or a reading feed’s sensors with their newest reading per metric (those that reported in the ' +
      'last hour, or three of the feed’s intervals if longer), in the caller’s scope, at most 2,000. The catalog offers it as ' +
      '`live-<feed>`; subscribe to `layer:<feed>` on the socket for its `layer.delta` events.',
    access: { users: 'any', displays: true, scoped: true },
    ok: liveFeatureCollectionSchema,
    errors: [400, 404],
  })
  getLiveLayer(
    @Param({ schema: feedKeyParamsSchema }) { key }: FeedKeyParams,
    @CurrentPrincipal() principal: Principal,
  ): Promise<LiveFeatureCollection> {
    return this.liveLayers.snapshot(key, scopeRoots(principal.scope));
  }

  @Get('feeds/:key/entities/:id/series')
  @Endpoint({
    summary: 'An entity’s numeric readings per metric, and an entity feed’s numeric props, bucketed, with the thresholds that apply',
    description:
      'The last `hours` (default 24) ending now in at most `points` buckets (minimum a minute): average, min, max and count per bucket, ' +
      'with the metric’s unit and valid range and the thresholds of indicators that aggregate the metric on its own scale ' +
      '(`source: reading`). An entity feed’s entity adds its numeric props over the states it recorded in the window ' +
      '(`source: prop`): one series per prop key whose value is a JSON number (not a numeric string nor a boolean; a number a double ' +
      'cannot hold is left out), at most ' +
      `${ENTITY_SERIES_MAX_PROPS} (the feed’s declared metrics first, then those with the most states), named and ranged by the feed’s metric of the same key when it declares one, ` +
      'without thresholds (indicators aggregate readings, not props); a prop sharing a reading metric’s key is left to the readings. ' +
      '404 when the feed holds no such entity in the caller’s scope (for a reading feed: with readings in the window).',
    access: { users: 'any', displays: true, scoped: true },
    ok: entitySeriesSchema,
    errors: [400, 404],
  })
  getEntitySeries(
    @Param({ schema: entityParamsSchema }) { key, id }: EntityParams,
    @Query({ schema: entitySeriesQuerySchema }) query: EntitySeriesQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EntitySeries> {
    return this.trends.series(key, id, query, scopeRoots(principal.scope));
  }
}
