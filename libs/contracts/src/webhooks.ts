import { z } from 'zod';
import { alertChangeSchema, alertViewSchema } from './alerts';
import { severitySchema } from './thresholds';

const timestamp = z.iso.datetime({ offset: true });

/** Headers of every webhook request; `X-Cityops-Signature` is `sha256=<hex>` over `<timestamp>.<raw body>`. */
export const WEBHOOK_HEADERS = {
  delivery: 'X-Cityops-Delivery',
  timestamp: 'X-Cityops-Timestamp',
  signature: 'X-Cityops-Signature',
  event: 'X-Cityops-Event',
} as const;

/** The change a `POST /api/webhooks/:id/test` delivery carries instead of an alert's. */
export const WEBHOOK_TEST_CHANGE = 'test';

const key = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, 'a key: lower-case letters, digits, _ . - (up to 100)');

/** Which alert changes a webhook hears of; a field left out (or empty) lets every value through. */
export const webhookFilterSchema = z
  .object({
    levels: z.array(severitySchema).max(10).optional().meta({ description: 'Only alerts at one of these levels.' }),
    changes: z.array(alertChangeSchema).max(50).optional().meta({ description: 'Only these changes (fired, resolved, …).' }),
    themes: z.array(key).max(50).optional().meta({ description: 'Only alerts of indicators of these themes.' }),
    indicatorKeys: z.array(key).max(500).optional().meta({ description: 'Only alerts of these indicators.' }),
  })
  .strict()
  .meta({ id: 'WebhookFilter', description: 'Conditions that must all hold; a field left out or empty matches everything.' });
export type WebhookFilter = z.output<typeof webhookFilterSchema>;

const webhookUrl = z
  .string()
  .max(2000)
  .refine((v) => {
    if (!URL.canParse(v)) return false;
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  }, 'must be an http:// or https:// URL')
  .refine((v) => !URL.canParse(v) || (!new URL(v).username && !new URL(v).password), {
    message: 'must not carry credentials: the receiver checks X-Cityops-Signature instead',
  });

/** `POST /api/webhooks` and `PUT /api/webhooks/:id` (the whole webhook but its secret). */
export const webhookDefinitionSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    url: webhookUrl.meta({
      description: 'Where alert changes are POSTed. Public addresses only, unless CONNECTOR_ALLOW_HOSTS lists the host.',
    }),
    filter: webhookFilterSchema.default({}),
    enabled: z.boolean().default(true),
  })
  .strict()
  .meta({ id: 'WebhookDefinition' });
export type WebhookDefinition = z.output<typeof webhookDefinitionSchema>;
export type WebhookDefinitionInput = z.input<typeof webhookDefinitionSchema>;

export const webhookViewSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    url: z.string(),
    filter: webhookFilterSchema,
    enabled: z.boolean(),
    createdBy: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    secretRotatedAt: timestamp.meta({ description: 'When the signing secret was made (at creation or the last rotation).' }),
  })
  .meta({ id: 'WebhookView', description: 'A webhook; its signing secret is never shown again after create or rotate.' });
export type WebhookView = z.output<typeof webhookViewSchema>;

export const webhookSecretSchema = z
  .object({
    webhook: webhookViewSchema,
    secret: z.string().meta({ description: 'The signing secret, shown this once; the server keeps it sealed with SECRETS_KEY.' }),
  })
  .meta({ id: 'WebhookSecret' });
export type WebhookSecret = z.output<typeof webhookSecretSchema>;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export const webhookDeliveryStatusSchema = z.enum(WEBHOOK_DELIVERY_STATUSES).meta({ id: 'WebhookDeliveryStatus' });
export type WebhookDeliveryStatus = z.output<typeof webhookDeliveryStatusSchema>;

export const webhookDeliveryChangeSchema = z
  .union([alertChangeSchema, z.literal(WEBHOOK_TEST_CHANGE)])
  .meta({ id: 'WebhookDeliveryChange', description: 'The alert change delivered, or `test`.' });

export const webhookAttemptSchema = z
  .object({
    attempt: z.number().int().min(1),
    at: timestamp,
    statusCode: z.number().int().nullable().meta({ description: "The receiver's HTTP status; null when none came (timeout, refused)." }),
    error: z.string().nullable(),
  })
  .meta({ id: 'WebhookAttempt' });
export type WebhookAttempt = z.output<typeof webhookAttemptSchema>;

export const webhookDeliveryViewSchema = z
  .object({
    id: z.uuid(),
    webhookId: z.uuid(),
    alertId: z.uuid().nullable(),
    change: webhookDeliveryChangeSchema,
    status: webhookDeliveryStatusSchema,
    attempts: z.number().int().min(0),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: timestamp.nullable().meta({ description: 'When a pending delivery is tried (again).' }),
    deliveredAt: timestamp.nullable(),
    createdAt: timestamp,
    attemptLog: z.array(webhookAttemptSchema).meta({ description: 'Every attempt, oldest first.' }),
  })
  .meta({ id: 'WebhookDeliveryView', description: 'One alert change sent to one webhook, with every attempt.' });
export type WebhookDeliveryView = z.output<typeof webhookDeliveryViewSchema>;

export const webhookIdParamsSchema = z.object({ id: z.uuid() });
export type WebhookIdParams = z.output<typeof webhookIdParamsSchema>;

export const listWebhookDeliveriesQuerySchema = z.object({
  status: webhookDeliveryStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListWebhookDeliveriesQuery = z.output<typeof listWebhookDeliveriesQuerySchema>;

/** The JSON body a receiver gets; signed as described in the README (Webhooks). */
export const webhookPayloadSchema = z
  .object({
    id: z
      .uuid()
      .meta({ description: 'The delivery id, also in X-Cityops-Delivery; the same on every retry, so a receiver can drop repeats.' }),
    change: webhookDeliveryChangeSchema,
    alert: alertViewSchema.nullable().meta({ description: 'The alert as it was after the change; null for a `test` delivery.' }),
    sentAt: timestamp,
  })
  .meta({ id: 'WebhookPayload' });
export type WebhookPayload = z.output<typeof webhookPayloadSchema>;
