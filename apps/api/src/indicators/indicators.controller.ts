import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  indicatorDefinitionSchema,
  indicatorKeyParamsSchema,
  indicatorSummaryPointSchema,
  indicatorSummaryQuerySchema,
  indicatorValuePointSchema,
  indicatorValuesEventSchema,
  indicatorValuesQuerySchema,
  type IndicatorDefinitionView,
  type IndicatorKeyParams,
  type IndicatorSummaryPoint,
  type IndicatorSummaryQuery,
  type IndicatorValuePoint,
  type IndicatorValuesEvent,
  type IndicatorValuesQuery,
} from '@cityops/contracts';
import { type Principal, scopeRoots } from '@cityops/identity';
import { IndicatorService } from '@cityops/indicators';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';

@ApiTags('indicators')
@Controller('indicators')
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorService) {}

  @Get()
  @Endpoint({ summary: 'The vital signs', access: { users: 'any', displays: true, scoped: false }, ok: z.array(indicatorDefinitionSchema) })
  listIndicators(): Promise<IndicatorDefinitionView[]> {
    return this.indicators.list();
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
    summary: 'Stored values over time',
    access: { users: 'any', displays: true, scoped: true },
    ok: z.array(indicatorValuePointSchema),
    errors: [400, 404],
  })
  getIndicatorValues(
    @Param({ schema: indicatorKeyParamsSchema }) { key }: IndicatorKeyParams,
    @Query({ schema: indicatorValuesQuerySchema }) query: IndicatorValuesQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<IndicatorValuePoint[]> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3600_000);
    return this.indicators.values(key, query.area, from, to, query.limit, scopeRoots(principal.scope));
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
