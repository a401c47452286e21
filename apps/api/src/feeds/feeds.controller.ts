import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import {
  catalogKeySchema,
  feedDefinitionSchema,
  feedUpdateSchema,
  type DepartmentView,
  type FeedEntityRecord,
  type FeedSampleRecord,
  type RejectedRecord,
  type ReplayResult,
  type FeedDefinition,
  type FeedHealthView,
  type IngestResult,
} from '@cityops/contracts';
import { parseOrThrow } from '@cityops/core';
import { EntityService, FeedCatalogService, FeedHealthService, IngestService } from '@cityops/feeds';
import type { Principal } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Roles } from '../auth/public.decorator';

const limitSchema = (max: number, fallback: number) => z.object({ limit: z.coerce.number().int().min(1).max(max).default(fallback) });

@Controller()
export class FeedsController {
  constructor(
    private readonly catalog: FeedCatalogService,
    private readonly ingest: IngestService,
    private readonly entities: EntityService,
    private readonly health: FeedHealthService,
  ) {}

  @Get('departments')
  departments(): Promise<DepartmentView[]> {
    return this.catalog.departments();
  }

  @Get('feeds')
  list(@Query() query: unknown): Promise<FeedDefinition[]> {
    const q = parseOrThrow(z.object({ department: z.string().max(50).optional(), theme: z.string().max(50).optional() }), query);
    return this.catalog.list(q);
  }

  @Get('feeds/health')
  feedHealth(): Promise<FeedHealthView[]> {
    return this.health.current();
  }

  @Roles('admin')
  @Post('feeds')
  create(@Body() body: unknown): Promise<FeedDefinition> {
    return this.catalog.create(parseOrThrow(feedDefinitionSchema, body));
  }

  @Get('feeds/:key')
  get(@Param('key') key: string): Promise<FeedDefinition> {
    return this.catalog.get(parseOrThrow(catalogKeySchema, key, 'key'));
  }

  @Roles('admin')
  @Put('feeds/:key')
  replace(@Param('key') key: string, @Body() body: unknown): Promise<FeedDefinition> {
    const feedKey = parseOrThrow(catalogKeySchema, key, 'key');
    return this.catalog.replace({ key: feedKey, ...parseOrThrow(feedUpdateSchema, body) });
  }

  @Get('feeds/:key/sample')
  sample(@Param('key') key: string, @Query() query: unknown): Promise<FeedSampleRecord[]> {
    return this.catalog.sample(parseOrThrow(catalogKeySchema, key, 'key'), parseOrThrow(limitSchema(500, 20), query).limit);
  }

  /**
   * Push records: JSON (array or {records}), GeoJSON FeatureCollection, NDJSON or CSV, optionally
   * gzip. Streamed and committed in chunks; the answer comes after the last commit, so an
   * acknowledged record is kept even if a process dies right after.
   */
  @Post('feeds/:key/records')
  @HttpCode(200)
  records(@Param('key') key: string, @Req() req: Request, @CurrentPrincipal() principal: Principal): Promise<IngestResult> {
    return this.ingest.ingestRequest(parseOrThrow(catalogKeySchema, key, 'key'), principal, req, {
      contentType: req.headers['content-type'],
      contentEncoding: req.headers['content-encoding'],
      contentLength: req.headers['content-length'],
    });
  }

  @Put('feeds/:key/entities')
  upsertEntities(@Param('key') key: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<IngestResult> {
    return this.entities.upsert(parseOrThrow(catalogKeySchema, key, 'key'), principal, body);
  }

  @Get('feeds/:key/entities')
  listEntities(@Param('key') key: string, @Query() query: unknown): Promise<FeedEntityRecord[]> {
    return this.entities.list(parseOrThrow(catalogKeySchema, key, 'key'), parseOrThrow(limitSchema(5000, 500), query).limit);
  }

  @Roles('admin', 'analyst')
  @Get('feeds/:key/rejected')
  rejected(@Param('key') key: string, @Query() query: unknown): Promise<RejectedRecord[]> {
    return this.ingest.listRejected(parseOrThrow(catalogKeySchema, key, 'key'), parseOrThrow(limitSchema(1000, 100), query).limit);
  }

  /** Re-validates kept rejected records after the feed's definition was fixed. */
  @Roles('admin')
  @Post('feeds/:key/rejected/replay')
  @HttpCode(200)
  replay(@Param('key') key: string, @Query() query: unknown): Promise<ReplayResult> {
    return this.ingest.replayRejected(parseOrThrow(catalogKeySchema, key, 'key'), parseOrThrow(limitSchema(50000, 10000), query).limit);
  }
}
