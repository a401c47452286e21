import type { AlertChange, Severity } from '@cityops/contracts';
import type { WebhookDefinitionInput, WebhookFilter, WebhookView } from '../../api/webhooks-api';

/** The form's values: lists of keys typed as text, the rest as the API takes them. */
export interface WebhookFormValues {
  name: string;
  url: string;
  levels: Severity[];
  changes: AlertChange[];
  themes: string;
  indicatorKeys: string;
  enabled: boolean;
}

export const EMPTY_WEBHOOK_FORM: WebhookFormValues = {
  name: '',
  url: '',
  levels: [],
  changes: [],
  themes: '',
  indicatorKeys: '',
  enabled: true,
};

/** `aqi.district, flood.depth` or one per line; Chinese commas too, as people type them. */
export function keyList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,，、;；]+/)
        .map((k) => k.trim())
        .filter(Boolean),
    ),
  ];
}

/** The body of POST/PUT: a filter condition only where something was chosen. */
export function webhookDefinition(values: WebhookFormValues): WebhookDefinitionInput {
  const themes = keyList(values.themes);
  const indicatorKeys = keyList(values.indicatorKeys);
  const filter: WebhookFilter = {
    ...(values.levels.length ? { levels: values.levels } : {}),
    ...(values.changes.length ? { changes: values.changes } : {}),
    ...(themes.length ? { themes } : {}),
    ...(indicatorKeys.length ? { indicatorKeys } : {}),
  };
  return { name: values.name.trim(), url: values.url.trim(), filter, enabled: values.enabled };
}

/** A webhook as the form shows it for editing. */
export function webhookFormValues(webhook: WebhookView): WebhookFormValues {
  const { filter } = webhook;
  return {
    name: webhook.name,
    url: webhook.url,
    levels: [...(filter.levels ?? [])],
    changes: [...(filter.changes ?? [])],
    themes: (filter.themes ?? []).join(', '),
    indicatorKeys: (filter.indicatorKeys ?? []).join(', '),
    enabled: webhook.enabled,
  };
}

/** The same webhook with only `enabled` changed: PUT replaces the whole definition. */
export function toggledDefinition(webhook: WebhookView): WebhookDefinitionInput {
  return { name: webhook.name, url: webhook.url, filter: webhook.filter, enabled: !webhook.enabled };
}
