import type { ReactNode } from 'react';
import type { AlertView } from '@cityops/contracts';
import { formatClock, formatDuration, formatPercent } from '../format';
import { useI18n } from '../i18n';
import { alertShownSince } from '../live/useLiveAlerts';
import { useNow } from '../useNow';
import type { AreaNameOf } from './area-names';

/** As many as fit on the panel at any screen size (sizes are in rem); fewer with ack buttons. */
const MAX_VISIBLE = 7;
const MAX_VISIBLE_WITH_ACK = 5;

export interface AlertListProps {
  alerts: readonly AlertView[];
  /** Ids of critical alerts announced a moment ago (extra emphasis). */
  freshIds: ReadonlySet<string>;
  nameOf: AreaNameOf;
  /** Shown only to admins, commanders and operators; a display is read-only. */
  onAcknowledge?: (alert: AlertView) => void;
  /** Ids whose acknowledgement is in flight. */
  pendingIds?: ReadonlySet<string>;
  children?: ReactNode;
}

export function formatAlertValue(alert: AlertView): string {
  // The wall's alerts come from ratio indicators (load); show them as a percentage.
  return formatPercent(alert.value);
}

/** Open alerts, newest first; critical ones stay strongly highlighted. */
export function AlertList({ alerts, freshIds, nameOf, onAcknowledge, pendingIds, children }: AlertListProps) {
  const { t, lang } = useI18n();
  const now = useNow(1000);
  const visible = alerts.slice(0, onAcknowledge ? MAX_VISIBLE_WITH_ACK : MAX_VISIBLE);
  const hidden = alerts.length - visible.length;

  return (
    <section className="panel alert-panel" aria-labelledby="alerts-title">
      <header className="panel-header">
        <h2 id="alerts-title" className="panel-title">
          {t('alertsTitle')}
        </h2>
        <span className="panel-count" data-testid="alert-count">
          {alerts.length}
        </span>
      </header>
      {children}
      {alerts.length === 0 ? <p className="alerts-empty">{t('alertsEmpty')}</p> : null}
      <ol className="alert-list">
        {visible.map((alert) => {
          const fresh = freshIds.has(alert.id);
          const acked = alert.acknowledgedAt !== null;
          return (
            <li
              key={alert.id}
              className={[
                'alert-item',
                `alert-item--${alert.level}`,
                fresh ? 'alert-item--fresh' : '',
                acked ? 'alert-item--acked' : '',
              ].join(' ')}
              data-testid="alert-item"
              data-alert-id={alert.id}
              data-level={alert.level}
              data-area-code={alert.areaCode}
            >
              <div className="alert-line">
                <span className="alert-level">{alert.level === 'critical' ? t('levelCritical') : t('levelWarning')}</span>
                {fresh ? <span className="alert-new">{t('alertNew')}</span> : null}
                <span className="alert-area">{nameOf(alert.areaId, alert.areaName)}</span>
              </div>
              <div className="alert-line alert-line--meta">
                <span className="alert-value">
                  <span className="alert-value-label">{t('alertLoad')}</span> {formatAlertValue(alert)}
                </span>
                <span className="alert-age">
                  {t('alertOpenFor', { d: formatDuration(now - Date.parse(alertShownSince(alert)), lang) })}
                </span>
                <span className="alert-time">{formatClock(alertShownSince(alert))}</span>
              </div>
              {acked ? <div className="alert-acked">{t('alertAcked')}</div> : null}
              {!acked && onAcknowledge ? (
                <button
                  type="button"
                  className="alert-ack"
                  data-testid="alert-ack"
                  disabled={pendingIds?.has(alert.id)}
                  onClick={() => onAcknowledge(alert)}
                >
                  {t('alertAck')}
                </button>
              ) : null}
            </li>
          );
        })}
      </ol>
      {hidden > 0 ? <p className="alerts-more">{t('alertMore', { n: hidden })}</p> : null}
    </section>
  );
}
