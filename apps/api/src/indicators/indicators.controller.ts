import { Body, Controller, Delete, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { AlertService } from '@cityops/alerts';
import {
  HISTORY_RESOLUTION_HEADER,
  HISTORY_RESOLUTIONS,
  indicatorDefinitionSchema,
  indicatorHistoryPointSchema,
  indicatorHistoryQuerySchema,
  indicatorKeyParamsSchema,
  indicatorPreviewSchema,
  indicatorReplaceSchema,
  indicatorSummaryPointSchema,
  indicatorSummaryQuerySchema,
  indicatorValuesEventSchema,
  indicatorWriteSchema,
  type IndicatorDefinitionView,
  type IndicatorHistoryPoint,
  type IndicatorHistoryQuery,
  type IndicatorKeyParams,
  type IndicatorPreview,
  type IndicatorReplace,
  type IndicatorSummaryPoint,
  type IndicatorSummaryQuery,
  type IndicatorValuesEvent,
  type IndicatorWrite,
} from '@cityops/contracts';
import { type Principal, scopeRoots } from '@cityops/identity';
import { IndicatorHistoryService, IndicatorService } from '@cityops/indicators';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';

@ApiTags('indicators')
@Controller('indicators')
export class IndicatorsController {
  constructor(
    private readonly indicators: IndicatorService,
    private readonly history: IndicatorHistoryService,
    private readonly alerts: AlertService,
  ) {}

  @Get()
  @Endpoint({ summary: 'The vital signs', access: { users: 'any', displays: true, scoped: false }, ok: z.array(indicatorDefinitionSchema) })
  listIndicators(): Promise<IndicatorDefinitionView[]> {
    return this.indicators.list();
  }

  @Post()
  @Endpoint({
    summary: 'Define a vital sign',
    description:
      'Checked against the catalog: an unknown feed, metric or zone set, a formula that does not parse, names a missing indicator ' +
      'or makes a cycle, and thresholds out of order are each a 400 naming the field. Computed on the stored data at once.',
    access: { users: ['admin'], scoped: false },
    ok: indicatorDefinitionSchema,
    status: 201,
    errors: [400, 409, 413],
  })
  createIndicator(@Body({ schema: indicatorWriteSchema }) body: IndicatorWrite): Promise<IndicatorDefinitionView> {
    return this.indicators.create(body);
  }

  @Post('preview')
  @Endpoint({
    summary: 'Preview a definition on the last hour of data, without saving it',
    description:
      'The definition is checked as for a save, then evaluated at 60 points (one a minute) over the last hour: a series per area. ' +
      '`alerts` says which areas would have alerted when: the live alert rules (pending, hysteresis, keep-firing, no data) replayed ' +
      'over each series; null without thresholds.',
    access: { users: ['admin'], scoped: false },
    ok: indicatorPreviewSchema,
    errors: [400, 413],
  })
  previewIndicator(@Body({ schema: indicatorWriteSchema }) body: IndicatorWrite): Promise<IndicatorPreview> {
    return this.alerts.preview(body);
  }

  @Put(':key')
  @Endpoint({
    summary: 'Create or replace a vital sign’s definition',
    description: 'Checked as a new definition is. The same PUT again changes nothing more.',
    access: { users: ['admin'], scoped: false },
    ok: indicatorDefinitionSchema,
    errors: [400, 413],
  })
  replaceIndicator(
    @Param({ schema: indicatorKeyParamsSchema }) { key }: IndicatorKeyParams,
    @Body({ schema: indicatorReplaceSchema }) body: IndicatorReplace,
  ): Promise<IndicatorDefinitionView> {
    return this.indicators.replace(key, body);
  }

  @Delete(':key')
  @Endpoint({
    summary: 'Delete a vital sign with its values and alerts',
    description: 'Refused (409) while a composite reads it. The answer is the definition as it was.',
    access: { users: ['admin'], scoped: false },
    ok: indicatorDefinitionSchema,
    errors: [400, 404, 409],
  })
  deleteIndicator(@Param({ schema: indicatorKeyParamsSchema }) { key }: IndicatorKeyParams): Promise<IndicatorDefinitionView> {
    return this.indicators.delete(key);
  }

  @Get(':key')
  @Endpoint({
    summary: 'A vital sign’s definition',
    access: { users: 'any', displays: true, scoped: false },
    ok: indicatorDefinitionSchema,
    errors: [400, 404],
  })
  getIndicator(@Param({ schema: indicatorKeyParamsSchema }) { key }: IndicatorKeyParams): Promise<IndicatorDefinitionView> {
    return this.indicators.definition(key);
  }

  @Get(':key/latest')
  @Endpoint({
    summary: 'The latest value per area',
    description: 'The snapshot a client draws before the `indicator.values` socket events update it.',
    access: { users: 'any', displays: true, scoped: true },
    ok: indicatorValuesEventSchema,
    errors: [400, 404],
  })
  getIndicatorLatest(
    @Param({ schema: indicatorKeyParamsSchema }) { key }: IndicatorKeyParams,
    @CurrentPrincipal() principal: Principal,
  ): Promise<IndicatorValuesEvent> {
    return this.indicators.latest(key, scopeRoots(principal.scope));
  }

  @Get(':key/values')
  @Endpoint({
    summary: 'Stored values over time, raw or in 1-minute or 1-hour buckets',
    description:
      'Raw values are kept for `INDICATOR_RAW_RETENTION_DAYS` (1), 1-minute buckets for `INDICATOR_MINUTE_RETENTION_DAYS` (30), ' +
      '1-hour buckets for `INDICATOR_HOUR_RETENTION_DAYS` (0: for ever). The `Cityops-Resolution` response header names the ' +
      'resolution of the points (`raw`, `1m` or `1h`): the one asked for in `step`, or the one `auto` chose.',
    access: { users: 'any', displays: true, scoped: true },
    ok: {
      schema: z.array(indicatorHistoryPointSchema),
      headers: {
        [HISTORY_RESOLUTION_HEADER]: {
          description: 'The resolution of the points: `raw`, `1m` or `1h`.',
          schema: { type: 'string', enum: [...HISTORY_RESOLUTIONS] },
        },
      },
    },
    errors: [400, 404],
  })
  async getIndicatorValues(
    @Param({ schema: indicatorKeyParamsSchema }) { key }: IndicatorKeyParams,
    @Query({ schema: indicatorHistoryQuerySchema }) query: IndicatorHistoryQuery,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IndicatorHistoryPoint[]> {
    const { resolution, points } = await this.history.values(key, query, scopeRoots(principal.scope));
    res.setHeader(HISTORY_RESOLUTION_HEADER, resolution);
    return points;
  }

  /** Per time bucket: areas reporting, sum of numerators, areas over each threshold. */
  @Get(':key/summary')
  @Endpoint({
    summary: 'Per time bucket: areas reporting, sum of numerators, areas over each threshold',
    access: { users: 'any', displays: true, scoped: true },
    ok: z.array(indicatorSummaryPointSchema),
    errors: [400, 404],
  })
  getIndicatorSummary(
    @Param({ schema: indicatorKeyParamsSchema }) { key }: IndicatorKeyParams,
    @Query({ schema: indicatorSummaryQuerySchema }) query: IndicatorSummaryQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<IndicatorSummaryPoint[]> {
    const from = query.from ? new Date(query.from) : new Date(Date.now() - 1800_000);
    return this.indicators.summary(key, from, query.bucket, scopeRoots(principal.scope));
  }
}
