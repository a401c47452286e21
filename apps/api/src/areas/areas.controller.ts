import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  areaIdParamsSchema,
  areaLabelCollectionSchema,
  areaLabelsQuerySchema,
  areaViewSchema,
  getAreaQuerySchema,
  importAreasResultSchema,
  importAreasSchema,
  listAreasQuerySchema,
  type AreaIdParams,
  type AreaLabelCollection,
  type AreaLabelsQuery,
  type AreaView,
  type GetAreaQuery,
  type ImportAreasRequest,
  type ImportAreasResult,
  type ListAreasQuery,
} from '@cityops/contracts';
import { AreaService } from '@cityops/geo';
import { type Principal, scopeRoots } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';

@ApiTags('areas')
@Controller('areas')
export class AreasController {
  constructor(private readonly areas: AreaService) {}

  @Get()
  @Endpoint({
    summary: 'Areas by level, parent or zone set',
    access: { users: 'any', displays: true, scoped: true },
    ok: z.array(areaViewSchema),
    errors: [400],
  })
  listAreas(@Query({ schema: listAreasQuerySchema }) query: ListAreasQuery, @CurrentPrincipal() principal: Principal): Promise<AreaView[]> {
    return this.areas.list(query, scopeRoots(principal.scope));
  }

  // Before ':id', which would take "labels" for an id.
  @Get('labels')
  @Endpoint({
    summary: 'Label points of areas (where their names go on a map), as GeoJSON points',
    description:
      'One point inside each area (`ST_PointOnSurface`, not the centroid, which can fall outside), with its names and `seq`; ' +
      'filtered like `GET /api/areas` by level and zone set, within the caller’s scope.',
    access: { users: 'any', displays: true, scoped: true },
    ok: areaLabelCollectionSchema,
    errors: [400],
  })
  listLabels(
    @Query({ schema: areaLabelsQuerySchema }) query: AreaLabelsQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AreaLabelCollection> {
    return this.areas.labels(query, scopeRoots(principal.scope));
  }

  @Get(':id')
  @Endpoint({
    summary: 'One area, with its boundary',
    access: { users: 'any', displays: true, scoped: true },
    ok: areaViewSchema,
    errors: [400, 404],
  })
  getArea(
    @Param({ schema: areaIdParamsSchema }) { id }: AreaIdParams,
    @Query({ schema: getAreaQuerySchema }) { geometry }: GetAreaQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AreaView> {
    return this.areas.get(id, geometry, scopeRoots(principal.scope));
  }

  @Post('import')
  @Endpoint({
    summary: 'Import real boundaries (GeoJSON)',
    description: 'Areas are matched by code. One invalid feature rejects the whole import, with every problem listed by feature index.',
    access: { users: ['admin'], scoped: false },
    ok: importAreasResultSchema,
    errors: [400, 413],
  })
  importAreas(@Body({ schema: importAreasSchema }) request: ImportAreasRequest): Promise<ImportAreasResult> {
    return this.areas.import(request);
  }
}
