import { Controller, Get, Param, Query } from '@nestjs/common';
import { z } from 'zod';
import { catalogKeySchema, type IndicatorSummaryPoint, type IndicatorValuesEvent } from '@cityops/contracts';
import { parseOrThrow } from '@cityops/core';
import { IndicatorService } from '@cityops/indicators';

const isoTime = z.iso.datetime({ offset: true });

@Controller('indicators')
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorService) {}

  @Get()
  list() {
    return this.indicators.list();
  }

  @Get(':key')
  get(@Param('key') key: string) {
    return this.indicators.definition(parseOrThrow(catalogKeySchema, key, 'key'));
  }

  @Get(':key/latest')
  latest(@Param('key') key: string): Promise<IndicatorValuesEvent> {
    return this.indicators.latest(parseOrThrow(catalogKeySchema, key, 'key'));
  }

  @Get(':key/values')
  values(@Param('key') key: string, @Query() query: unknown) {
    const q = parseOrThrow(
      z.object({
        area: z.coerce.number().int().positive().optional(),
        from: isoTime.optional(),
        to: isoTime.optional(),
        limit: z.coerce.number().int().min(1).max(100000).default(10000),
      }),
      query,
    );
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 3600_000);
    return this.indicators.values(parseOrThrow(catalogKeySchema, key, 'key'), q.area, from, to, q.limit);
  }

  /** Per time bucket: areas reporting, sum of numerators, areas over each threshold. */
  @Get(':key/summary')
  summary(@Param('key') key: string, @Query() query: unknown): Promise<IndicatorSummaryPoint[]> {
    const q = parseOrThrow(z.object({ from: isoTime.optional(), bucket: z.coerce.number().int().min(5).max(86400).default(30) }), query);
    const from = q.from ? new Date(q.from) : new Date(Date.now() - 1800_000);
    return this.indicators.summary(parseOrThrow(catalogKeySchema, key, 'key'), from, q.bucket);
  }
}
