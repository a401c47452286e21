import { useI18n } from '../i18n';
import type { BannerStory } from './alert-board';
import type { IndicatorInfo } from './AlertList';
import type { AreaNameOf } from './area-names';
import { formatValue } from './indicator-format';

export interface CriticalBannerProps {
  /** From the wall's alert store: null as soon as no critical alert calls for the banner. */
  story: BannerStory | null;
  /** A critical alert was announced a moment ago: flash; afterwards the banner stays, steady. */
  flashing: boolean;
  nameOf: AreaNameOf;
  indicator: IndicatorInfo;
}

/**
 * Full-width red banner across the top of the map while a critical alert is active and nobody
 * has acknowledged it: the most severe area, its value, "+N more". Flashes at about 1 Hz (well
 * under the 3 Hz photosensitivity limit) while the news is fresh.
 */
export function CriticalBanner({ story, flashing, nameOf, indicator }: CriticalBannerProps) {
  const { t, lang } = useI18n();
  if (!story) return null;
  const { lead, group, more } = story;
  return (
    <div
      className={flashing ? 'critical-banner critical-banner--flashing' : 'critical-banner'}
      role="alert"
      data-testid="critical-banner"
      data-alert-id={lead.id}
      data-area-code={lead.areaCode}
      data-more={more}
    >
      <span className="critical-banner-icon" aria-hidden="true">
        ⚠
      </span>
      <span className="critical-banner-kind">{t('bannerCritical')}</span>
      <span className="critical-banner-area">
        {nameOf(lead.areaId, lead.areaName)}
        <span className="critical-banner-indicator">{indicator.label(lead)}</span>
      </span>
      <span className="critical-banner-value">{formatValue(lead.value, indicator.style(lead), lang)}</span>
      {group.alerts.length > 1 ? <span className="critical-banner-more">{t('bannerGroup', { n: group.alerts.length })}</span> : null}
      {more > 0 ? <span className="critical-banner-more">{t('bannerMore', { n: more })}</span> : null}
    </div>
  );
}
