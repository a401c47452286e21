import type { Severity, WebhookDeliveryStatus, WebhookFilter } from '@cityops/contracts';
import type { MessageKey, Translate } from '../../i18n';

const SEVERITY_LABELS: Record<Severity, MessageKey> = {
  notice: 'severityNotice',
  warning: 'severityWarning',
  critical: 'severityCritical',
};

const STATUS_LABELS: Record<WebhookDeliveryStatus, MessageKey> = {
  pending: 'deliveryPending',
  delivered: 'deliveryDelivered',
  failed: 'deliveryFailed',
};

export function severityLabel(t: Translate, level: string): string {
  const key = SEVERITY_LABELS[level as Severity] as MessageKey | undefined;
  return key ? t(key) : level;
}

export function deliveryStatusLabel(t: Translate, status: WebhookDeliveryStatus): string {
  return t(STATUS_LABELS[status]);
}

/** A filter in a few words for the list: each condition that is set, or "every change". */
export function filterSummary(t: Translate, filter: WebhookFilter): string[] {
  const parts = [
    filter.levels?.length ? `${t('webhookLevels')}: ${filter.levels.map((l) => severityLabel(t, l)).join(' / ')}` : null,
    filter.changes?.length ? `${t('webhookChanges')}: ${filter.changes.join(', ')}` : null,
    filter.themes?.length ? `${t('webhookThemes')}: ${filter.themes.join(', ')}` : null,
    filter.indicatorKeys?.length ? `${t('webhookIndicators')}: ${filter.indicatorKeys.join(', ')}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? parts : [t('webhookFilterAll')];
}
