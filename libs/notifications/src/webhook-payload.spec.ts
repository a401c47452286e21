import { webhookPayloadSchema } from '@cityops/contracts';
import { alertChangedEvent } from '../../../test/support/alert-events';
import { deliveryKey, webhookBody } from './webhook-payload';

const DELIVERY = '7d0c9a52-3a8e-4c55-9c53-3f4b8f1f2a10';
const SENT = new Date('2026-11-29T08:30:05.000Z');

describe('webhook payload', () => {
  it('is { id, change, alert, sentAt }: the delivery id, the change, the alert as published, the time of this attempt', () => {
    const { change, alert } = alertChangedEvent('escalated');
    const body = JSON.parse(webhookBody(DELIVERY, { change, alert }, SENT)) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['id', 'change', 'alert', 'sentAt']);
    expect(body).toEqual({ id: DELIVERY, change: 'escalated', alert, sentAt: '2026-11-29T08:30:05.000Z' });
    expect(webhookPayloadSchema.safeParse(body).success).toBe(true);
  });

  it('carries no alert for a test delivery', () => {
    const body = JSON.parse(webhookBody(DELIVERY, { change: 'test', alert: null }, SENT)) as Record<string, unknown>;
    expect(body).toEqual({ id: DELIVERY, change: 'test', alert: null, sentAt: SENT.toISOString() });
    expect(webhookPayloadSchema.safeParse(body).success).toBe(true);
  });

  it('keys a delivery by webhook, alert, change and alert version, so a repeat of the same change is the same delivery', () => {
    const { alert } = alertChangedEvent('resolved', { updatedAt: '2026-11-29T08:31:00.250Z' });
    const key = deliveryKey('w1', alert, 'resolved');
    expect(key).toBe(`w1-${alert.id}-resolved-${Date.parse('2026-11-29T08:31:00.250Z')}`);
    expect(deliveryKey('w1', { ...alert }, 'resolved')).toBe(key);
    expect(deliveryKey('w1', { ...alert, updatedAt: '2026-11-29T08:31:03.000Z' }, 'resolved')).not.toBe(key);
    expect(deliveryKey('w2', alert, 'resolved')).not.toBe(key);
    expect(deliveryKey('w1', alert, 'acknowledged')).not.toBe(key);
    // BullMQ refuses custom job ids with a colon.
    expect(key).not.toContain(':');
  });
});
