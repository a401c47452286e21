import { useI18n } from '../i18n';
import { statusLabel, type HealthShown } from './labels';

/** Coloured health status: green ok, amber stale, red failing, grey silent or unknown. */
export function HealthBadge({ status }: { status: HealthShown }) {
  const { t } = useI18n();
  return (
    <span className={`health-badge health-badge--${status}`} data-status={status}>
      {statusLabel(t, status)}
    </span>
  );
}
