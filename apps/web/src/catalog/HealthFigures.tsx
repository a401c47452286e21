import type { FeedHealthView } from '@cityops/contracts';
import { formatClock, formatDuration, formatNumber, formatPercent } from '../format';
import { useI18n } from '../i18n';
import { useNow } from '../useNow';
import { DetailSection } from './DetailSection';
import { HealthBadge } from './HealthBadge';
import { RelativeTime } from './RelativeTime';

/** Rate, lateness and rejected share as the health job last computed them (live, ~15 s). */
export function HealthFigures({ health }: { health: FeedHealthView | null }) {
  const { t, lang } = useI18n();
  const now = useNow(1000);
  return (
    <DetailSection
      title={t('healthTitle')}
      subtitle={health ? t('healthCheckedAt', { time: formatClock(health.checkedAt) }) : undefined}
      actions={health ? <HealthBadge status={health.status} /> : null}
    >
      {health ? (
        <dl className="figures" data-testid="catalog-health">
          <div className="figure">
            <dt>{t('healthRate')}</dt>
            <dd>{t('healthRateValue', { n: formatNumber(health.recordsPerMinute, lang) })}</dd>
          </div>
          <div className="figure">
            <dt>{t('healthLastRecord')}</dt>
            <dd>
              <RelativeTime value={health.lastRecordAt} now={now} />
            </dd>
          </div>
          <div className="figure">
            <dt>{t('healthLag')}</dt>
            <dd>
              {health.lagSeconds === null
                ? '—'
                : health.lagSeconds > 0
                  ? t('healthLate', { d: formatDuration(health.lagSeconds * 1000, lang) })
                  : t('healthOnTime')}
            </dd>
          </div>
          <div className="figure">
            <dt>{t('healthRejectedShare')}</dt>
            <dd className={health.rejectedShare > 0 ? 'warn-text' : undefined}>
              {health.rejectedShare > 0 && health.rejectedShare < 0.01 ? '<1%' : formatPercent(health.rejectedShare)}
            </dd>
          </div>
        </dl>
      ) : (
        <p className="empty">{t('healthUnavailable')}</p>
      )}
    </DetailSection>
  );
}
