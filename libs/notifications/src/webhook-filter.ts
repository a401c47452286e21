import type { WebhookFilter } from '@cityops/contracts';

/**
 * What a filter looks at of an alert change. Structural rather than AlertChangedEvent itself, so
 * the filter reads `theme` and `silencedBy` where the alert carries them.
 */
export interface FilterableChange {
  change: string;
  alert: { level: string; indicatorKey: string; theme?: string | null; silencedBy?: string | null };
}

const within = (allowed: readonly string[] | undefined, value: string | null | undefined): boolean =>
  !allowed?.length || (value !== null && value !== undefined && allowed.includes(value));

/** Every condition of the filter holds; a condition left out or empty lets everything through. */
export function webhookMatches(filter: WebhookFilter, event: FilterableChange): boolean {
  return (
    within(filter.levels, event.alert.level) &&
    within(filter.changes, event.change) &&
    within(filter.themes, event.alert.theme) &&
    within(filter.indicatorKeys, event.alert.indicatorKey)
  );
}

/** A silenced alert still changes, but nobody is notified of it (issue 8, silences). */
export function isSilenced(alert: FilterableChange['alert']): boolean {
  return alert.silencedBy !== null && alert.silencedBy !== undefined;
}
