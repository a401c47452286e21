import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CaseDetectionService } from '@cityops/cases';
import {
  detectionResultSchema,
  detectionsBodySchema,
  detectionSourceViewSchema,
  detectionSourceWriteSchema,
  detectionViewSchema,
  feedKeyParamsSchema,
  listDetectionsQuerySchema,
  type DetectionResult,
  type DetectionSourceView,
  type DetectionSourceWrite,
  type DetectionView,
  type FeedKeyParams,
  type ListDetectionsQuery,
} from '@cityops/contracts';
import { assertMayPushToFeed, type Principal } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';
import { RateLimit } from '../http/rate-limit.guard';

const ADMINS = { users: ['admin'], scoped: false } as const;

@ApiTags('cases')
@Controller()
export class DetectionsController {
  constructor(private readonly detections: CaseDetectionService) {}

  @Get('case-detection-sources')
  @Endpoint({
    summary: 'Feeds that file cases from what they detect',
    access: ADMINS,
    ok: z.array(detectionSourceViewSchema),
  })
  listDetectionSources(): Promise<DetectionSourceView[]> {
    return this.detections.sources();
  }

  @Put('case-detection-sources/:key')
  @Endpoint({
    summary: 'Make a feed a case source: its detection kinds mapped to case categories, with a confidence floor',
    description: 'Detections of kinds not mapped are rejected with their reason; under the floor they are kept as ignored.',
    access: ADMINS,
    ok: detectionSourceViewSchema,
    errors: [400, 404],
  })
  putDetectionSource(
    @Param({ schema: feedKeyParamsSchema }) { key }: FeedKeyParams,
    @Body({ schema: detectionSourceWriteSchema }) body: DetectionSourceWrite,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DetectionSourceView> {
    return this.detections.putSource(key, body, principal.username);
  }

  @Post('feeds/:key/detections')
  @RateLimit('ingest')
  @Endpoint({
    summary: 'Push detected problems (video analysis, sensors): filed as cases, deduplicated',
    description:
      'Each detection is checked on its own and becomes a case (source `machine`), or is attached to an open case of its category ' +
      'within 100 m and 48 h, or is ignored under the confidence floor, or is rejected with its reason; every one is kept ' +
      '(`GET /api/feeds/{key}/detections`). A detection sent again answers what became of it the first time. Admins and the keys of this feed may push.',
    access: { users: ['admin'], feedKeys: true, scoped: false },
    ok: detectionResultSchema,
    errors: [400, 404, 409, 413],
    reads: {
      description: 'Detections; each is checked on its own, so the body is not validated as a whole.',
      content: { 'application/json': detectionsBodySchema },
    },
  })
  pushDetections(
    @Param({ schema: feedKeyParamsSchema }) { key }: FeedKeyParams,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DetectionResult> {
    assertMayPushToFeed(principal, key);
    return this.detections.ingest(key, body);
  }

  @Get('feeds/:key/detections')
  @Endpoint({
    summary: 'Detections a feed sent, newest first, with what became of each',
    access: ADMINS,
    ok: z.array(detectionViewSchema),
    errors: [400, 404],
  })
  listDetections(
    @Param({ schema: feedKeyParamsSchema }) { key }: FeedKeyParams,
    @Query({ schema: listDetectionsQuerySchema }) query: ListDetectionsQuery,
  ): Promise<DetectionView[]> {
    return this.detections.list(key, query.verdict, query.limit);
  }
}
