import { Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AlertService } from '@cityops/alerts';
import {
  alertDetailSchema,
  alertIdParamsSchema,
  alertViewSchema,
  listAlertsQuerySchema,
  type AlertIdParams,
  type AlertView,
  type ListAlertsQuery,
} from '@cityops/contracts';
import { type Principal, scopeRoots } from '@cityops/identity';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';

@ApiTags('alerts')
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertService) {}

  @Get()
  @Endpoint({
    summary: 'Alerts, newest first',
    access: { users: 'any', displays: true, scoped: true },
    ok: z.array(alertViewSchema),
    errors: [400],
  })
  listAlerts(
    @Query({ schema: listAlertsQuerySchema }) query: ListAlertsQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AlertView[]> {
    return this.alerts.list(query.state, query.limit, scopeRoots(principal.scope));
  }

  @Get(':id')
  @Endpoint({
    summary: 'An alert with its history',
    access: { users: 'any', displays: true, scoped: true },
    ok: alertDetailSchema,
    errors: [400, 404],
  })
  getAlert(@Param({ schema: alertIdParamsSchema }) { id }: AlertIdParams, @CurrentPrincipal() principal: Principal) {
    return this.alerts.get(id, scopeRoots(principal.scope));
  }

  @Post(':id/ack')
  @Endpoint({
    summary: 'Acknowledge an alert',
    description: 'Acknowledging twice is harmless: the answer is the alert as it stands.',
    access: { users: ['commander', 'operator'], scoped: true },
    ok: alertViewSchema,
    errors: [400, 404],
  })
  acknowledgeAlert(
    @Param({ schema: alertIdParamsSchema }) { id }: AlertIdParams,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AlertView> {
    return this.alerts.acknowledge(id, principal.username, scopeRoots(principal.scope));
  }
}
