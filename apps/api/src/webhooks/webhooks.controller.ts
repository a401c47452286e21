import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  listWebhookDeliveriesQuerySchema,
  webhookDefinitionSchema,
  webhookDeliveryViewSchema,
  webhookIdParamsSchema,
  webhookSecretSchema,
  webhookViewSchema,
  type ListWebhookDeliveriesQuery,
  type WebhookDefinition,
  type WebhookDeliveryView,
  type WebhookIdParams,
  type WebhookSecret,
  type WebhookView,
} from '@cityops/contracts';
import type { Principal } from '@cityops/identity';
import { WebhookService } from '@cityops/notifications';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Endpoint } from '../http/endpoint.decorator';

const ADMINS = { users: ['admin'], scoped: false } as const;

const SIGNING =
  'Each request is a POST of `WebhookPayload` JSON with `X-Cityops-Delivery` (the delivery id), `X-Cityops-Timestamp` ' +
  '(unix seconds) and `X-Cityops-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`.';

/** Where alert changes are POSTed, signed; admins manage them and read what was delivered. */
@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookService) {}

  @Get()
  @Endpoint({
    summary: 'Alert webhooks',
    description: 'Never their secrets.',
    access: ADMINS,
    ok: z.array(webhookViewSchema),
  })
  listWebhooks(): Promise<WebhookView[]> {
    return this.webhooks.list();
  }

  @Post()
  @Endpoint({
    summary: 'Create an alert webhook',
    description:
      `Every alert change that passes the filter is POSTed to the URL. ${SIGNING} The answer holds the signing ` +
      'secret this once. The URL must reach a public address unless `CONNECTOR_ALLOW_HOSTS` lists the host (400 naming `url`).',
    access: ADMINS,
    ok: webhookSecretSchema,
    status: 201,
    errors: [400, 413],
  })
  createWebhook(
    @Body({ schema: webhookDefinitionSchema }) body: WebhookDefinition,
    @CurrentPrincipal() actor: Principal,
  ): Promise<WebhookSecret> {
    return this.webhooks.create(body, actor.username);
  }

  @Get(':id')
  @Endpoint({ summary: 'One alert webhook', access: ADMINS, ok: webhookViewSchema, errors: [400, 404] })
  getWebhook(@Param({ schema: webhookIdParamsSchema }) { id }: WebhookIdParams): Promise<WebhookView> {
    return this.webhooks.get(id);
  }

  @Put(':id')
  @Endpoint({
    summary: 'Replace an alert webhook (all but its secret)',
    description: 'Idempotent. Deliveries still to be tried go to the new URL.',
    access: ADMINS,
    ok: webhookViewSchema,
    errors: [400, 404, 413],
  })
  updateWebhook(
    @Param({ schema: webhookIdParamsSchema }) { id }: WebhookIdParams,
    @Body({ schema: webhookDefinitionSchema }) body: WebhookDefinition,
    @CurrentPrincipal() actor: Principal,
  ): Promise<WebhookView> {
    return this.webhooks.update(id, body, actor.username);
  }

  @Delete(':id')
  @Endpoint({
    summary: 'Delete an alert webhook',
    description: 'With its delivery log; deliveries still queued are dropped.',
    access: ADMINS,
    ok: webhookViewSchema,
    errors: [400, 404],
  })
  deleteWebhook(
    @Param({ schema: webhookIdParamsSchema }) { id }: WebhookIdParams,
    @CurrentPrincipal() actor: Principal,
  ): Promise<WebhookView> {
    return this.webhooks.delete(id, actor.username);
  }

  @Post(':id/rotate-secret')
  @Endpoint({
    summary: 'Give a webhook a new signing secret',
    description: 'The answer holds the new secret this once; every request from now on, retries included, is signed with it.',
    access: ADMINS,
    ok: webhookSecretSchema,
    errors: [400, 404],
  })
  rotateWebhookSecret(
    @Param({ schema: webhookIdParamsSchema }) { id }: WebhookIdParams,
    @CurrentPrincipal() actor: Principal,
  ): Promise<WebhookSecret> {
    return this.webhooks.rotateSecret(id, actor.username);
  }

  @Post(':id/test')
  @Endpoint({
    summary: 'Send a test delivery',
    description:
      'Queues a delivery with change `test` and `alert: null`, whatever the filter and even while the webhook is disabled; ' +
      'it is signed, retried and logged like any other. The answer is the pending delivery.',
    access: ADMINS,
    ok: webhookDeliveryViewSchema,
    status: 201,
    errors: [400, 404],
  })
  testWebhook(@Param({ schema: webhookIdParamsSchema }) { id }: WebhookIdParams): Promise<WebhookDeliveryView> {
    return this.webhooks.sendTest(id);
  }

  @Get(':id/deliveries')
  @Endpoint({
    summary: "A webhook's delivery log",
    description: 'Newest first, each with its status, attempts and their answers.',
    access: ADMINS,
    ok: z.array(webhookDeliveryViewSchema),
    errors: [400, 404],
  })
  listWebhookDeliveries(
    @Param({ schema: webhookIdParamsSchema }) { id }: WebhookIdParams,
    @Query({ schema: listWebhookDeliveriesQuerySchema }) query: ListWebhookDeliveriesQuery,
  ): Promise<WebhookDeliveryView[]> {
    return this.webhooks.deliveries(id, query);
  }

  @Post('deliveries/:id/retry')
  @Endpoint({
    summary: 'Send a failed delivery again',
    description: 'With the configured attempts and backoff; only a failed delivery (409 otherwise).',
    access: ADMINS,
    ok: webhookDeliveryViewSchema,
    errors: [400, 404, 409],
  })
  retryWebhookDelivery(@Param({ schema: webhookIdParamsSchema }) { id }: WebhookIdParams): Promise<WebhookDeliveryView> {
    return this.webhooks.retry(id);
  }
}
