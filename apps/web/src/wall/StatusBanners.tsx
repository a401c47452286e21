import { formatClock } from '../format';
import { useI18n } from '../i18n';
import type { LiveStatus } from '../live/socket';
import { useNow } from '../useNow';

/** Values older than this are called stale. */
export const STALE_AFTER_MS = 30_000;

export interface StatusBannersProps {
  status: LiveStatus;
  /** Newest observation time among the indicator values (epoch ms), null without values. */
  newestTs: number | null;
  /** The first snapshot was answered (so "no data" means no data, not "still loading"). */
  loaded: boolean;
}

/** Connection lost (socket down) and stale data (newest value older than 30 s). */
export function StatusBanners({ status, newestTs, loaded }: StatusBannersProps) {
  const { t } = useI18n();
  const now = useNow(1000);
  const disconnected = status === 'disconnected';
  const stale = newestTs !== null && now - newestTs > STALE_AFTER_MS;
  const none = loaded && newestTs === null;
  if (!disconnected && !stale && !none) return null;
  return (
    <div className="status-banners">
      {disconnected ? (
        <div className="status-banner status-banner--offline" role="status" data-testid="connection-banner">
          <span className="status-spinner" aria-hidden="true" />
          {t('connectionLost')}
        </div>
      ) : null}
      {stale || none ? (
        <div className="status-banner status-banner--stale" role="status" data-testid="stale-banner">
          {stale && newestTs !== null ? t('dataStale', { time: formatClock(newestTs) }) : t('dataNone')}
        </div>
      ) : null}
    </div>
  );
}
