import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { AlertService } from '@cityops/alerts';
import type { AlertView } from '@cityops/contracts';
import { parseOrThrow } from '@cityops/core';
import type { Principal } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Roles } from '../auth/public.decorator';

@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertService) {}

  @Get()
  list(@Query() query: unknown): Promise<AlertView[]> {
    const q = parseOrThrow(
      z.object({ state: z.enum(['open', 'resolved']).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
      query,
    );
    return this.alerts.list(q.state, q.limit);
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.alerts.get(id);
  }

  @Roles('dispatcher', 'handler')
  @Post(':id/ack')
  @HttpCode(200)
  ack(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal): Promise<AlertView> {
    return this.alerts.acknowledge(id, principal.username);
  }
}
