import { describe, expect, it } from '@jest/globals';
import type { WebhookView } from '../../api/webhooks-api';
import { EMPTY_WEBHOOK_FORM, keyList, toggledDefinition, webhookDefinition, webhookFormValues } from './webhook-form';

const webhook: WebhookView = {
  id: '6f1f7c1e-4f0a-4e55-9d55-1d3b1f7c9a01',
  name: '值班系统',
  url: 'https://ops.example.org/hooks/cityops',
  filter: { levels: ['critical'], themes: ['water', 'traffic'] },
  enabled: true,
  createdBy: 'admin',
  createdAt: '2026-11-29T08:00:00.000Z',
  updatedAt: '2026-11-29T08:00:00.000Z',
  secretRotatedAt: '2026-11-29T08:00:00.000Z',
};

describe('webhook form', () => {
  it.each([
    ['commas and spaces', 'air.aqi, water.depth  traffic.speed', ['air.aqi', 'water.depth', 'traffic.speed']],
    ['Chinese punctuation and new lines', 'air.aqi，water.depth、\ntraffic.speed', ['air.aqi', 'water.depth', 'traffic.speed']],
    ['repeats once', 'air.aqi, air.aqi', ['air.aqi']],
    ['nothing', ' ,  ', []],
  ])('reads a list of keys typed with %s', (_name, text, keys) => {
    expect(keyList(text)).toEqual(keys);
  });

  it('sends a filter condition only where something was chosen', () => {
    expect(webhookDefinition({ ...EMPTY_WEBHOOK_FORM, name: ' 值班 ', url: ' https://x.example/h ' })).toEqual({
      name: '值班',
      url: 'https://x.example/h',
      filter: {},
      enabled: true,
    });
    expect(
      webhookDefinition({
        ...EMPTY_WEBHOOK_FORM,
        name: 'n',
        url: 'u',
        levels: ['critical'],
        themes: 'water',
        indicatorKeys: '',
        enabled: false,
      }).filter,
    ).toEqual({ levels: ['critical'], themes: ['water'] });
  });

  it('edits a webhook and sends it back unchanged when nothing was touched', () => {
    const { id: _id, createdBy: _by, createdAt: _c, updatedAt: _u, secretRotatedAt: _s, ...definition } = webhook;
    expect(webhookDefinition(webhookFormValues(webhook))).toEqual(definition);
  });

  it('switches a webhook off or on by sending its whole definition with enabled flipped', () => {
    expect(toggledDefinition(webhook)).toEqual({ name: webhook.name, url: webhook.url, filter: webhook.filter, enabled: false });
  });
});
