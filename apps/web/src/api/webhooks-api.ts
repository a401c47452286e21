import type {
  ListWebhookDeliveriesQuery,
  WebhookDefinitionInput,
  WebhookDeliveryView,
  WebhookSecret,
  WebhookView,
} from '@cityops/contracts';
import { apiRequest } from './client';

export type { WebhookDefinitionInput, WebhookDeliveryView, WebhookFilter, WebhookSecret, WebhookView } from '@cityops/contracts';

const webhookPath = (id: string) => `/api/webhooks/${encodeURIComponent(id)}`;

export function fetchWebhooks(signal?: AbortSignal): Promise<WebhookView[]> {
  return apiRequest<WebhookView[]>('/api/webhooks', { signal });
}

export function createWebhook(definition: WebhookDefinitionInput): Promise<WebhookSecret> {
  return apiRequest<WebhookSecret>('/api/webhooks', { method: 'POST', body: definition });
}

export function updateWebhook(id: string, definition: WebhookDefinitionInput): Promise<WebhookView> {
  return apiRequest<WebhookView>(webhookPath(id), { method: 'PUT', body: definition });
}

export function deleteWebhook(id: string): Promise<WebhookView> {
  return apiRequest<WebhookView>(webhookPath(id), { method: 'DELETE' });
}

export function rotateWebhookSecret(id: string): Promise<WebhookSecret> {
  return apiRequest<WebhookSecret>(`${webhookPath(id)}/rotate-secret`, { method: 'POST' });
}

export function sendTestDelivery(id: string): Promise<WebhookDeliveryView> {
  return apiRequest<WebhookDeliveryView>(`${webhookPath(id)}/test`, { method: 'POST' });
}

export function fetchWebhookDeliveries(
  id: string,
  query: Partial<ListWebhookDeliveriesQuery>,
  signal?: AbortSignal,
): Promise<WebhookDeliveryView[]> {
  return apiRequest<WebhookDeliveryView[]>(`${webhookPath(id)}/deliveries`, { query: { ...query }, signal });
}

export function retryDelivery(deliveryId: string): Promise<WebhookDeliveryView> {
  return apiRequest<WebhookDeliveryView>(`/api/webhooks/deliveries/${encodeURIComponent(deliveryId)}/retry`, { method: 'POST' });
}
