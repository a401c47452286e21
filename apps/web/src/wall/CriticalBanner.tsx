import type { AlertView } from '@cityops/contracts';
import { formatPercent } from '../format';
import { useI18n } from '../i18n';
import type { AreaNameOf } from './area-names';

export interface CriticalBannerProps {
  /** Critical alerts being announced, oldest first (the newest is shown). */
  alerts: readonly AlertView[];
  nameOf: AreaNameOf;
}

/**
 * Full-width flashing red banner across the top of the map for a new critical alert (~15 s).
 * Flashes at about 1 Hz, well under the 3 Hz photosensitivity limit.
 */
export function CriticalBanner({ alerts, nameOf }: CriticalBannerProps) {
  const { t } = useI18n();
  const newest = alerts.at(-1);
  if (!newest) return null;
  const others = alerts.length - 1;
  return (
    <div className="critical-banner" role="alert" data-testid="critical-banner" data-alert-id={newest.id} data-area-code={newest.areaCode}>
      <span className="critical-banner-icon" aria-hidden="true">
        ⚠
      </span>
      <span className="critical-banner-kind">{t('bannerCritical')}</span>
      <span className="critical-banner-area">{nameOf(newest.areaId, newest.areaName)}</span>
      <span className="critical-banner-value">{t('bannerLoad', { pct: formatPercent(newest.value) })}</span>
      {others > 0 ? <span className="critical-banner-more">{t('alertMore', { n: others })}</span> : null}
    </div>
  );
}
