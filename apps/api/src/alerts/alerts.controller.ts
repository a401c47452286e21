import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AlertService } from '@cityops/alerts';
import {
  acknowledgeAlertSchema,
  alertDetailSchema,
  alertIdParamsSchema,
  alertTimelineQuerySchema,
  alertTimelineSchema,
  alertViewSchema,
  listAlertsQuerySchema,
  resolveAlertSchema,
  type AcknowledgeAlertRequest,
  type AlertDetail,
  type AlertIdParams,
  type AlertTimeline,
  type AlertTimelineQuery,
  type AlertView,
  type ListAlertsQuery,
  type ResolveAlertRequest,
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
    summary: 'Alerts, most recently changed first',
    description:
      '`active=true`: pending or firing; `since`: changed at or after that time (the wall’s recent resolved alerts: ' +
      '`since=<an hour ago>`); `area`: that area and the areas inside it.',
    access: { users: 'any', displays: true, scoped: true },
    ok: z.array(alertViewSchema),
    errors: [400],
  })
  listAlerts(
    @Query({ schema: listAlertsQuerySchema }) query: ListAlertsQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AlertView[]> {
    return this.alerts.list(query, scopeRoots(principal.scope));
  }

  // Before `:id`, which would take `timeline` for an id.
  @Get('timeline')
  @Endpoint({
    summary: 'The levels an indicator’s alerts fired at over a window',
    description:
      'For the map’s time replay: the stretches during which each alert of the indicator fired at one level, from the ' +
      'alerts’ histories. A stretch starts when the alert fired, splits where its level changed and ends when it resolved; ' +
      'pending time is not firing. Stretches are clipped to `[from, to)`; one still firing has `to: null`. The window is at ' +
      'most 7 days; at most `limit` stretches (default 5,000, at most 20,000), the earliest first, with `truncated: true` ' +
      'when more were left out. Only alerts of areas in the caller’s scope.',
    access: { users: 'any', displays: true, scoped: true },
    ok: alertTimelineSchema,
    errors: [400],
  })
  alertTimeline(
    @Query({ schema: alertTimelineQuerySchema }) query: AlertTimelineQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AlertTimeline> {
    return this.alerts.timeline(query, scopeRoots(principal.scope));
  }

  @Get(':id')
  @Endpoint({
    summary: 'An alert with its history',
    access: { users: 'any', displays: true, scoped: true },
    ok: alertDetailSchema,
    errors: [400, 404],
  })
  getAlert(@Param({ schema: alertIdParamsSchema }) { id }: AlertIdParams, @CurrentPrincipal() principal: Principal): Promise<AlertDetail> {
    return this.alerts.get(id, scopeRoots(principal.scope));
  }

  @Post(':id/ack')
  @Endpoint({
    summary: 'Acknowledge an alert',
    description:
      'A pending or firing alert, with an optional comment (kept in its history). Acknowledging twice is harmless: ' +
      'the answer is the alert as it stands. A critical alert acknowledged in time is not escalated.',
    access: { users: ['commander', 'operator'], scoped: true },
    ok: alertViewSchema,
    errors: [400, 404],
  })
  acknowledgeAlert(
    @Param({ schema: alertIdParamsSchema }) { id }: AlertIdParams,
    @Body({ schema: acknowledgeAlertSchema.optional() }) body: AcknowledgeAlertRequest | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AlertView> {
    return this.alerts.acknowledge(id, principal.username, body?.comment ?? null, scopeRoots(principal.scope));
  }

  @Post(':id/resolve')
  @Endpoint({
    summary: 'Resolve an alert by hand',
    description:
      'Ends a pending or firing alert with a reason (kept in its history and on the alert as `resolveReason`). The data ' +
      'no longer drives it: while the indicator still breaches a threshold, its next value opens a new alert. ' +
      'Resolving twice is harmless: the answer is the alert as it stands.',
    access: { users: ['commander', 'operator'], scoped: true },
    ok: alertViewSchema,
    errors: [400, 404],
  })
  resolveAlert(
    @Param({ schema: alertIdParamsSchema }) { id }: AlertIdParams,
    @Body({ schema: resolveAlertSchema }) body: ResolveAlertRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AlertView> {
    return this.alerts.resolve(id, principal.username, body.reason, scopeRoots(principal.scope));
  }
}
