import type { AlertView, WebhookPayload } from '@cityops/contracts';

/** What a delivery row keeps of the change: the body is made from it at each attempt. */
export interface StoredPayload {
  change: WebhookPayload['change'];
  alert: AlertView | null;
}

/** The raw body of one attempt; the signature is over exactly these bytes. */
export function webhookBody(deliveryId: string, payload: StoredPayload, sentAt: Date): string {
  const body: WebhookPayload = { id: deliveryId, change: payload.change, alert: payload.alert, sentAt: sentAt.toISOString() };
  return JSON.stringify(body);
}

/**
 * One delivery per webhook, alert, change and version of the alert: an evaluation retried after
 * a crash publishes the same change with the same `updatedAt`, and so adds no second delivery.
 */
export function deliveryKey(webhookId: string, alert: { id: string; updatedAt: string }, change: string): string {
  return `${webhookId}-${alert.id}-${change}-${Date.parse(alert.updatedAt)}`;
}
