import { useCallback, useId, useState } from 'react';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryStatus } from '@cityops/contracts';
import { fetchWebhookDeliveries, retryDelivery, type WebhookDeliveryView, type WebhookView } from '../../api/webhooks-api';
import { LoadState } from '../../catalog/DetailSection';
import { useResource } from '../../catalog/useResource';
import { formatDateTime } from '../../format';
import { FormProblem } from '../../forms/FormMessages';
import { PanelHead } from '../../forms/PanelHead';
import { useFormErrors } from '../../forms/useFormErrors';
import { useI18n } from '../../i18n';
import { changeLabel, deliveryStatusLabel } from './webhook-labels';

const STATUS_CHIP: Record<WebhookDeliveryStatus, string> = {
  pending: 'status-chip--warn',
  delivered: 'status-chip--ok',
  failed: 'status-chip--off',
};

/** The delivery log of one webhook, newest first: status, attempts, the last answer; a failed one can be sent again. */
export function DeliveryLog({ webhook, onClose }: { webhook: WebhookView; onClose: () => void }) {
  const { t } = useI18n();
  const titleId = useId();
  const [status, setStatus] = useState<WebhookDeliveryStatus | ''>('');
  const load = useCallback(
    (signal: AbortSignal) => fetchWebhookDeliveries(webhook.id, { status: status || undefined, limit: 100 }, signal),
    [webhook.id, status],
  );
  const log = useResource(`webhook-deliveries:${webhook.id}:${status}`, load);
  const { errors, fail, clear } = useFormErrors<never>([]);
  const [busyId, setBusyId] = useState<string | null>(null);

  const retry = async (delivery: WebhookDeliveryView) => {
    setBusyId(delivery.id);
    clear();
    try {
      await retryDelivery(delivery.id);
      log.reload();
    } catch (failure) {
      fail(failure);
    } finally {
      setBusyId(null);
    }
  };

  return (
    <section className="delivery-log" aria-labelledby={titleId} data-testid="webhook-delivery-log">
      <PanelHead titleId={titleId} title={t('deliveryLogTitle', { name: webhook.name })} onClose={onClose} />
      <div className="admin-filters">
        <label className="filter-field">
          <span className="filter-label-text">{t('colStatus')}</span>
          <select
            className="select-input"
            value={status}
            onChange={(e) => setStatus(e.target.value as WebhookDeliveryStatus | '')}
            data-testid="delivery-status-filter"
          >
            <option value="">{t('filterAll')}</option>
            {WEBHOOK_DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {deliveryStatusLabel(t, s)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="quiet-button" onClick={log.reload} disabled={log.loading} data-testid="delivery-log-refresh">
          {t('refresh')}
        </button>
      </div>
      <FormProblem errors={errors} />
      <LoadState loading={log.loading} error={log.error} empty={log.data?.length === 0} onRetry={log.reload} />
      {log.data?.length ? (
        <div className="table-scroll">
          <table className="data-table admin-table" data-testid="delivery-table">
            <thead>
              <tr>
                <th>{t('colCreated')}</th>
                <th>{t('deliveryChange')}</th>
                <th>{t('colStatus')}</th>
                <th className="num">{t('deliveryAttempts')}</th>
                <th>{t('deliveryLastResult')}</th>
                <th className="actions-col">{t('colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.map((d) => (
                <tr key={d.id} data-testid="delivery-row" data-status={d.status} data-change={d.change}>
                  <td className="nowrap num-text">{formatDateTime(d.createdAt)}</td>
                  <td data-testid="delivery-change">
                    {changeLabel(t, d.change)}
                    {/* The code as the receiver gets it in X-Cityops-Event. */}
                    <code className="cell-sub">{d.change}</code>
                  </td>
                  <td>
                    <span className={`chip status-chip ${STATUS_CHIP[d.status]}`}>{deliveryStatusLabel(t, d.status)}</span>
                    {d.status === 'pending' && d.nextAttemptAt ? (
                      <span className="cell-sub">{t('deliveryNextAttempt', { time: formatDateTime(d.nextAttemptAt) })}</span>
                    ) : null}
                  </td>
                  <td className="num num-text">{d.attempts}</td>
                  <td className="delivery-result" data-testid="delivery-last-result">
                    {d.lastStatusCode !== null ? <code>HTTP {d.lastStatusCode}</code> : null}
                    {d.lastError ? <span className="cell-sub warn-text">{d.lastError}</span> : null}
                  </td>
                  <td className="row-actions">
                    {d.status === 'failed' ? (
                      <button
                        type="button"
                        className="quiet-button"
                        disabled={busyId === d.id}
                        onClick={() => void retry(d)}
                        data-testid="delivery-retry"
                      >
                        {t('deliveryRetry')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
