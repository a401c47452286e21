import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ogcCollectionParamsSchema,
  ogcCollectionSchema,
  ogcCollectionsSchema,
  ogcConformanceSchema,
  ogcFeatureCollectionSchema,
  ogcFeatureParamsSchema,
  ogcFeatureSchema,
  ogcFormatQuerySchema,
  ogcItemsQuerySchema,
  ogcLandingPageSchema,
  type OgcCollection,
  type OgcCollectionParams,
  type OgcCollections,
  type OgcFeature,
  type OgcFeatureCollection,
  type OgcFeatureParams,
  type OgcItemsQuery,
  type OgcLandingPage,
} from '@cityops/contracts';
import { type Principal, scopeRoots } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint, type Policy } from '../http/endpoint.decorator';
import { OgcBase } from './ogc-base.decorator';
import { OgcService } from './ogc.service';

/** What describes the service and its collections: any signed-in person (GIS clients send a user's access token). */
const CATALOG: Policy = { users: 'any', scoped: false };
/** Features: only those in the caller's area scope. */
const FEATURES: Policy = { users: 'any', scoped: true };

/** OGC API – Features Part 1 (core, GeoJSON, OpenAPI 3.0): what QGIS and GDAL's OAPIF driver read. */
@ApiTags('ogc')
@Controller('ogc')
export class OgcController {
  constructor(private readonly ogc: OgcService) {}

  @Get()
  @Endpoint({ summary: 'OGC API – Features landing page', access: CATALOG, ok: ogcLandingPageSchema, errors: [400] })
  landingPage(@Query({ schema: ogcFormatQuerySchema }) _format: unknown, @OgcBase() base: string): OgcLandingPage {
    return this.ogc.landingPage(base);
  }

  @Get('conformance')
  @Endpoint({ summary: 'OGC API conformance classes implemented', access: CATALOG, ok: ogcConformanceSchema, errors: [400] })
  conformance(@Query({ schema: ogcFormatQuerySchema }) _format: unknown): { conformsTo: string[] } {
    return this.ogc.conformance();
  }

  @Get('collections')
  @Endpoint({
    summary: 'OGC API feature collections: areas per level, zone sets, entity feeds',
    access: CATALOG,
    ok: ogcCollectionsSchema,
    errors: [400],
  })
  collections(@Query({ schema: ogcFormatQuerySchema }) _format: unknown, @OgcBase() base: string): Promise<OgcCollections> {
    return this.ogc.collections(base);
  }

  @Get('collections/:collectionId')
  @Endpoint({ summary: 'One OGC API feature collection', access: CATALOG, ok: ogcCollectionSchema, errors: [400, 404] })
  collection(
    @Param({ schema: ogcCollectionParamsSchema }) { collectionId }: OgcCollectionParams,
    @Query({ schema: ogcFormatQuerySchema }) _format: unknown,
    @OgcBase() base: string,
  ): Promise<OgcCollection> {
    return this.ogc.collection(base, collectionId);
  }

  @Get('collections/:collectionId/items')
  @Header('Content-Type', 'application/geo+json')
  @Endpoint({
    summary: 'A page of a collection’s features (GeoJSON), with next/prev links',
    access: FEATURES,
    ok: { schema: ogcFeatureCollectionSchema, contentType: 'application/geo+json' },
    errors: [400, 404],
  })
  items(
    @Param({ schema: ogcCollectionParamsSchema }) { collectionId }: OgcCollectionParams,
    @Query({ schema: ogcItemsQuerySchema }) query: OgcItemsQuery,
    @OgcBase() base: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OgcFeatureCollection> {
    return this.ogc.items(base, collectionId, query, scopeRoots(principal.scope));
  }

  @Get('collections/:collectionId/items/:featureId')
  @Header('Content-Type', 'application/geo+json')
  @Endpoint({
    summary: 'One feature of a collection (GeoJSON)',
    access: FEATURES,
    ok: { schema: ogcFeatureSchema, contentType: 'application/geo+json' },
    errors: [400, 404],
  })
  item(
    @Param({ schema: ogcFeatureParamsSchema }) { collectionId, featureId }: OgcFeatureParams,
    @Query({ schema: ogcFormatQuerySchema }) _format: unknown,
    @OgcBase() base: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OgcFeature> {
    return this.ogc.item(base, collectionId, featureId, scopeRoots(principal.scope));
  }
}
