import type { Severity, WebhookDeliveryStatus, WebhookDeliveryView, WebhookFilter } from '@cityops/contracts';
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

/** Every change a delivery can carry has words: a change added to the contract fails the type check until it has them. */
const CHANGE_LABELS: Record<WebhookDeliveryView['change'], MessageKey> = {
  pending: 'alertChangePending',
  fired: 'alertChangeFired',
  escalated: 'alertChangeEscalated',
  deescalated: 'alertChangeDeescalated',
  updated: 'alertChangeUpdated',
  acknowledged: 'alertChangeAcknowledged',
  resolved: 'alertChangeResolved',
  stale: 'alertChangeStale',
  fresh: 'alertChangeFresh',
  silenced: 'alertChangeSilenced',
  unsilenced: 'alertChangeUnsilenced',
  escalation: 'alertChangeEscalation',
  lapsed: 'alertChangeLapsed',
  case_filed: 'alertChangeCaseFiled',
  test: 'alertChangeTest',
};

export function severityLabel(t: Translate, level: string): string {
  const key = SEVERITY_LABELS[level as Severity] as MessageKey | undefined;
  return key ? t(key) : level;
}

export function deliveryStatusLabel(t: Translate, status: WebhookDeliveryStatus): string {
  return t(STATUS_LABELS[status]);
}

/** A change in words; one this build does not know (a newer server) as its code. */
export function changeLabel(t: Translate, change: string): string {
  const key = CHANGE_LABELS[change as WebhookDeliveryView['change']] as MessageKey | undefined;
  return key ? t(key) : change;
}

/** A filter in a few words for the list: each condition that is set, or "every change". */
export function filterSummary(t: Translate, filter: WebhookFilter): string[] {
  const parts = [
    filter.levels?.length ? `${t('webhookLevels')}: ${filter.levels.map((l) => severityLabel(t, l)).join(' / ')}` : null,
    filter.changes?.length ? `${t('webhookChanges')}: ${filter.changes.map((c) => changeLabel(t, c)).join(', ')}` : null,
    filter.themes?.length ? `${t('webhookThemes')}: ${filter.themes.join(', ')}` : null,
    filter.indicatorKeys?.length ? `${t('webhookIndicators')}: ${filter.indicatorKeys.join(', ')}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? parts : [t('webhookFilterAll')];
}
