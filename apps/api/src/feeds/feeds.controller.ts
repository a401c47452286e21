import { Body, Controller, Get, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import {
  csvRecordsSchema,
  departmentViewSchema,
  entitiesBodySchema,
  feedDefinitionSchema,
  feedEntityRecordSchema,
  feedHealthViewSchema,
  feedKeyParamsSchema,
  feedSampleRecordSchema,
  feedUpdateSchema,
  feedViewSchema,
  ingestFeatureCollectionSchema,
  ingestJsonBodySchema,
  ingestResultSchema,
  limitQuerySchema,
  listFeedsQuerySchema,
  ndjsonRecordsSchema,
  rejectedRecordSchema,
  replayResultSchema,
  type DepartmentView,
  type FeedDefinition,
  type FeedEntityRecord,
  type FeedHealthView,
  type FeedKeyParams,
  type FeedSampleRecord,
  type IngestResult,
  type LimitQuery,
  type ListFeedsQuery,
  type RejectedRecord,
  type ReplayResult,
} from '@cityops/contracts';
import { EntityService, FeedCatalogService, FeedHealthService, IngestService } from '@cityops/feeds';
import { type Principal, scopeRoots } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';
import { RateLimit } from '../http/rate-limit.guard';

type FeedUpdate = z.output<typeof feedUpdateSchema>;

@ApiTags('feeds')
@Controller()
export class FeedsController {
  constructor(
    private readonly catalog: FeedCatalogService,
    private readonly ingest: IngestService,
    private readonly entities: EntityService,
    private readonly health: FeedHealthService,
  ) {}

  @Get('departments')
  @Endpoint({ summary: 'The departments that own feeds', access: { users: 'any', scoped: false }, ok: z.array(departmentViewSchema) })
  listDepartments(): Promise<DepartmentView[]> {
    return this.catalog.departments();
  }

  @Get('feeds')
  @Endpoint({ summary: 'The feed catalog', access: { users: 'any', scoped: false }, ok: z.array(feedViewSchema), errors: [400] })
  listFeeds(@Query({ schema: listFeedsQuerySchema }) filter: ListFeedsQuery): Promise<FeedDefinition[]> {
    return this.catalog.list(filter);
  }

  @Get('feeds/health')
  @Endpoint({
    summary: 'How every feed is doing now',
    access: { users: 'any', displays: true, scoped: true },
    ok: z.array(feedHealthViewSchema),
  })
  getFeedHealth(@CurrentPrincipal() principal: Principal): Promise<FeedHealthView[]> {
    return this.health.current(scopeRoots(principal.scope), principal.department);
  }

  @Post('feeds')
  @Endpoint({
    summary: 'Add a feed to the catalog',
    access: { users: ['admin'], scoped: false },
    ok: feedViewSchema,
    status: 201,
    errors: [400, 409, 413],
  })
  createFeed(@Body({ schema: feedDefinitionSchema }) feed: FeedDefinition): Promise<FeedDefinition> {
    return this.catalog.create(feed);
  }

  @Get('feeds/:key')
  @Endpoint({ summary: 'A feed of the catalog', access: { users: 'any', scoped: false }, ok: feedViewSchema, errors: [400, 404] })
  getFeed(@Param({ schema: feedKeyParamsSchema }) { key }: FeedKeyParams): Promise<FeedDefinition> {
    return this.catalog.get(key);
  }

  @Put('feeds/:key')
  @Endpoint({
    summary: 'Replace a feed’s definition',
    access: { users: ['admin'], scoped: false },
    ok: feedViewSchema,
    errors: [400, 404, 413],
  })
  replaceFeed(
    @Param({ schema: feedKeyParamsSchema }) { key }: FeedKeyParams,
    @Body({ schema: feedUpdateSchema }) update: FeedUpdate,
  ): Promise<FeedDefinition> {
    return this.catalog.replace({ key, ...update });
  }

  @Get('feeds/:key/sample')
  @Endpoint({
    summary: 'The newest stored records of a feed',
    access: { users: 'any', scoped: true },
    ok: z.array(feedSampleRecordSchema),
    errors: [400],
  })
  sampleFeed(
    @Param({ schema: feedKeyParamsSchema }) { key }: FeedKeyParams,
    @Query({ schema: limitQuerySchema(500, 20) }) { limit }: LimitQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FeedSampleRecord[]> {
    return this.catalog.sample(key, limit, scopeRoots(principal.scope));
  }

  /**
   * Push records: JSON (array or {records}), GeoJSON FeatureCollection, NDJSON or CSV, optionally
   * gzip. Streamed and committed in chunks; the answer comes after the last commit, so an
   * acknowledged record is kept even if a process dies right after.
   */
  @Post('feeds/:key/records')
  @RateLimit('ingest')
  @Endpoint({
    summary: 'Push records to a feed',
    description:
      'Every record is checked on its own: a bad one is kept with its reason (`GET /api/feeds/{key}/rejected`) and never blocks the good ones. ' +
      'NDJSON and CSV are streamed and committed in chunks of 5,000; `Content-Encoding: gzip` is accepted. The answer is sent after the commit. ' +
      'Admins and the keys of this feed may push.',
    access: { users: ['admin'], feedKeys: true, scoped: false },
    ok: ingestResultSchema,
    errors: [400, 403, 404, 413, 415],
    reads: {
      description:
        'Records in any of these formats (also accepted: text/json, application/ndjson, application/jsonl, application/csv); the body is read as it arrives, not parsed up front.',
      content: {
        'application/json': ingestJsonBodySchema,
        'application/geo+json': ingestFeatureCollectionSchema,
        'application/x-ndjson': ndjsonRecordsSchema,
        'text/csv': csvRecordsSchema,
      },
    },
  })
  ingestRecords(
    @Param({ schema: feedKeyParamsSchema }) { key }: FeedKeyParams,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal,
  ): Promise<IngestResult> {
    return this.ingest.ingestRequest(key, principal, req, {
      contentType: req.headers['content-type'],
      contentEncoding: req.headers['content-encoding'],
      contentLength: req.headers['content-length'],
    });
  }

  @Put('feeds/:key/entities')
  @RateLimit('ingest')
  @Endpoint({
    summary: 'Push the latest state of entities',
    description:
      'Each entity’s state replaces the one held only when it is newer; every state lands once in its history. ' +
      'A bad entity is kept with its reason, the others are stored. Admins and the keys of this feed may push.',
    access: { users: ['admin'], feedKeys: true, scoped: false },
    ok: ingestResultSchema,
    errors: [400, 403, 404, 413],
    reads: {
      description: 'Entities; each is checked on its own, so the body is not validated as a whole.',
      content: { 'application/json': entitiesBodySchema, 'application/geo+json': entitiesBodySchema },
    },
  })
  upsertEntities(
    @Param({ schema: feedKeyParamsSchema }) { key }: FeedKeyParams,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<IngestResult> {
    return this.entities.upsert(key, principal, body);
  }

  @Get('feeds/:key/entities')
  @Endpoint({
    summary: 'The latest state of each entity of a feed',
    access: { users: 'any', scoped: true },
    ok: z.array(feedEntityRecordSchema),
    errors: [400],
  })
  listEntities(
    @Param({ schema: feedKeyParamsSchema }) { key }: FeedKeyParams,
    @Query({ schema: limitQuerySchema(5000, 500) }) { limit }: LimitQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FeedEntityRecord[]> {
    return this.entities.list(key, limit, scopeRoots(principal.scope));
  }

  @Get('feeds/:key/rejected')
  @Endpoint({
    summary: 'Rejected records of a feed, newest first',
    access: { users: ['analyst'], scoped: true },
    ok: z.array(rejectedRecordSchema),
    errors: [400],
  })
  listRejected(
    @Param({ schema: feedKeyParamsSchema }) { key }: FeedKeyParams,
    @Query({ schema: limitQuerySchema(1000, 100) }) { limit }: LimitQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RejectedRecord[]> {
    return this.ingest.listRejected(key, limit, scopeRoots(principal.scope), principal.department);
  }

  /** Re-validates kept rejected records after the feed's definition was fixed. */
  @Post('feeds/:key/rejected/replay')
  @Endpoint({
    summary: 'Run the kept rejected records of a feed again',
    description: 'After the feed’s definition was fixed: the records that pass now are stored, the others keep today’s reason.',
    access: { users: ['admin'], scoped: false },
    ok: replayResultSchema,
    errors: [400, 404],
  })
  replayRejected(
    @Param({ schema: feedKeyParamsSchema }) { key }: FeedKeyParams,
    @Query({ schema: limitQuerySchema(50000, 10000) }) { limit }: LimitQuery,
  ): Promise<ReplayResult> {
    return this.ingest.replayRejected(key, limit);
  }
}
