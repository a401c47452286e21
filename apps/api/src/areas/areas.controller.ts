import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { importAreasSchema, listAreasQuerySchema, type AreaView, type ImportAreasResult } from '@cityops/contracts';
import { parseOrThrow } from '@cityops/core';
import { AreaService } from '@cityops/geo';
import { Roles } from '../auth/public.decorator';

@Controller('areas')
export class AreasController {
  constructor(private readonly areas: AreaService) {}

  @Get()
  list(@Query() query: unknown): Promise<AreaView[]> {
    return this.areas.list(parseOrThrow(listAreasQuerySchema, query));
  }

  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number, @Query() query: unknown): Promise<AreaView> {
    const { geometry } = parseOrThrow(z.object({ geometry: z.enum(['true', 'false']).default('true') }), query);
    return this.areas.get(id, geometry === 'true');
  }

  @Roles('admin')
  @Post('import')
  @HttpCode(200)
  import(@Body() body: unknown): Promise<ImportAreasResult> {
    return this.areas.import(parseOrThrow(importAreasSchema, body));
  }
}
