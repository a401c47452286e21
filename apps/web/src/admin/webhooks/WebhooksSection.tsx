import { useState } from 'react';
import {
  deleteWebhook,
  fetchWebhooks,
  rotateWebhookSecret,
  sendTestDelivery,
  updateWebhook,
  type WebhookView,
} from '../../api/webhooks-api';
import { LoadState } from '../../catalog/DetailSection';
import { useResource } from '../../catalog/useResource';
import { formatDateTime } from '../../format';
import { FormProblem } from '../../forms/FormMessages';
import { useFormErrors } from '../../forms/useFormErrors';
import { useI18n } from '../../i18n';
import { ConfirmButton } from '../common/ConfirmButton';
import { NotAvailable } from '../common/NotAvailable';
import type { Notice } from '../common/notice';
import { SecretReveal } from '../common/SecretReveal';
import { AdminNotice, SectionHead } from '../common/SectionHead';
import { DeliveryLog } from './DeliveryLog';
import { toggledDefinition } from './webhook-form';
import { filterSummary } from './webhook-labels';
import { WebhookForm } from './WebhookForm';

type Panel =
  | { kind: 'create' }
  | { kind: 'edit'; webhook: WebhookView }
  | { kind: 'secret'; webhook: WebhookView; secret: string; rotated: boolean }
  | { kind: 'log'; webhook: WebhookView };

type Action = 'toggle' | 'test' | 'rotate' | 'delete';

/** 告警推送: where alert changes are POSTed; create (secret shown once), edit, switch off, test, rotate, delete, and each one's delivery log. */
export function WebhooksSection() {
  const { t } = useI18n();
  const hooks = useResource('webhooks', fetchWebhooks);
  const [panel, setPanel] = useState<Panel | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const { errors: actionErrors, fail: failAction, clear: clearAction } = useFormErrors<never>([]);
  const [busyId, setBusyId] = useState<string | null>(null);
  const { reload } = hooks;
  const unavailable = hooks.error?.status === 404;

  const open = (next: Panel | null) => {
    setPanel(next);
    setNotice(null);
    clearAction();
  };

  const act = async (webhook: WebhookView, action: Action) => {
    setBusyId(webhook.id);
    clearAction();
    setNotice(null);
    try {
      if (action === 'toggle') {
        await updateWebhook(webhook.id, toggledDefinition(webhook));
      } else if (action === 'test') {
        await sendTestDelivery(webhook.id);
        setNotice({ key: 'webhookTestQueued', params: { name: webhook.name } });
        setPanel({ kind: 'log', webhook });
      } else if (action === 'rotate') {
        const { webhook: rotated, secret } = await rotateWebhookSecret(webhook.id);
        setPanel({ kind: 'secret', webhook: rotated, secret, rotated: true });
      } else {
        await deleteWebhook(webhook.id);
        if (panel && 'webhook' in panel && panel.webhook.id === webhook.id) setPanel(null);
        setNotice({ key: 'webhookDeletedNotice', params: { name: webhook.name } });
      }
      reload();
    } catch (failure) {
      failAction(failure);
    } finally {
      setBusyId(null);
    }
  };

  const enabledCount = (hooks.data ?? []).filter((h) => h.enabled).length;

  return (
    <div className={`admin-split${panel ? ' admin-split--open' : ''}`} data-testid="admin-webhooks">
      <section className="admin-panel admin-list" aria-labelledby="admin-webhooks-title">
        <SectionHead
          titleId="admin-webhooks-title"
          title={t('adminWebhooks')}
          subtitle={hooks.data ? t('webhooksCount', { n: enabledCount }) : null}
          actions={
            unavailable
              ? null
              : {
                  reload,
                  loading: hooks.loading,
                  refreshTestId: 'webhooks-refresh',
                  createLabel: t('webhookCreateButton'),
                  onCreate: () => open({ kind: 'create' }),
                  createTestId: 'webhook-create',
                }
          }
        />
        <p className="section-intro">{t('webhooksIntro')}</p>
        <AdminNotice notice={notice} />
        <FormProblem errors={actionErrors} />
        {unavailable ? (
          <NotAvailable what={t('adminWebhooks')} endpoint="/api/webhooks" />
        ) : (
          <LoadState loading={hooks.loading} error={hooks.error} empty={hooks.data?.length === 0} onRetry={reload} />
        )}
        {hooks.data?.length ? (
          <div className="table-scroll">
            <table className="data-table admin-table" data-testid="webhook-table">
              <thead>
                <tr>
                  <th>{t('webhookName')}</th>
                  <th>{t('webhookFilter')}</th>
                  <th>{t('colStatus')}</th>
                  <th>{t('colCreated')}</th>
                  <th className="actions-col">{t('colActions')}</th>
                </tr>
              </thead>
              <tbody>
                {hooks.data.map((hook) => (
                  <tr
                    key={hook.id}
                    className={hook.enabled ? undefined : 'row--disabled'}
                    data-testid="webhook-row"
                    data-name={hook.name}
                    data-enabled={hook.enabled}
                  >
                    <td>
                      <strong className="cell-main">{hook.name}</strong>
                      <code className="cell-sub webhook-url">{hook.url}</code>
                    </td>
                    <td className="webhook-filter">
                      {filterSummary(t, hook.filter).map((line) => (
                        <span key={line} className="cell-sub">
                          {line}
                        </span>
                      ))}
                    </td>
                    <td>
                      <span className={`chip status-chip ${hook.enabled ? 'status-chip--ok' : 'status-chip--off'}`}>
                        {t(hook.enabled ? 'webhookStateOn' : 'webhookStateOff')}
                      </span>
                      <span className="cell-sub">{t('webhookSecretFrom', { time: formatDateTime(hook.secretRotatedAt) })}</span>
                    </td>
                    <td className="nowrap num-text">
                      {formatDateTime(hook.createdAt)}
                      {hook.createdBy ? <span className="cell-sub">{t('createdBy', { name: hook.createdBy })}</span> : null}
                    </td>
                    <td className="row-actions webhook-actions">
                      <button
                        type="button"
                        className="quiet-button"
                        onClick={() => open({ kind: 'log', webhook: hook })}
                        data-testid="webhook-log"
                      >
                        {t('webhookLog')}
                      </button>
                      <button
                        type="button"
                        className="quiet-button"
                        disabled={busyId === hook.id}
                        onClick={() => void act(hook, 'test')}
                        data-testid="webhook-test"
                      >
                        {t('webhookTest')}
                      </button>
                      <button
                        type="button"
                        className="quiet-button"
                        onClick={() => open({ kind: 'edit', webhook: hook })}
                        data-testid="webhook-edit"
                      >
                        {t('webhookEdit')}
                      </button>
                      <button
                        type="button"
                        className="quiet-button"
                        disabled={busyId === hook.id}
                        onClick={() => void act(hook, 'toggle')}
                        data-testid="webhook-toggle"
                      >
                        {t(hook.enabled ? 'webhookDisable' : 'webhookEnable')}
                      </button>
                      <ConfirmButton
                        label={t('webhookRotate')}
                        question={t('webhookRotateQuestion')}
                        confirmLabel={t('rotateConfirm')}
                        onConfirm={() => void act(hook, 'rotate')}
                        busy={busyId === hook.id}
                        testId="webhook-rotate"
                      />
                      <ConfirmButton
                        label={t('webhookDelete')}
                        question={t('webhookDeleteQuestion')}
                        confirmLabel={t('deleteConfirm')}
                        onConfirm={() => void act(hook, 'delete')}
                        busy={busyId === hook.id}
                        danger
                        testId="webhook-delete"
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      {panel ? (
        <aside className="admin-panel admin-side" data-testid="admin-side-panel">
          {panel.kind === 'secret' ? (
            <SecretReveal
              title={t(panel.rotated ? 'webhookRotated' : 'webhookCreated', { name: panel.webhook.name })}
              values={[{ label: t('webhookSecret'), value: panel.secret, testId: 'revealed-secret' }]}
              note={t('webhookSecretHint')}
              onceBody={t('webhookSecretOnceBody')}
              onDone={() => open(null)}
            />
          ) : panel.kind === 'log' ? (
            <DeliveryLog key={panel.webhook.id} webhook={panel.webhook} onClose={() => open(null)} />
          ) : (
            <WebhookForm
              key={panel.kind === 'edit' ? panel.webhook.id : 'new'}
              webhook={panel.kind === 'edit' ? panel.webhook : null}
              onCreated={({ webhook, secret }) => {
                reload();
                setPanel({ kind: 'secret', webhook, secret, rotated: false });
              }}
              onSaved={(webhook) => {
                reload();
                open(null);
                setNotice({ key: 'webhookSavedNotice', params: { name: webhook.name } });
              }}
              onCancel={() => open(null)}
            />
          )}
        </aside>
      ) : null}
    </div>
  );
}
