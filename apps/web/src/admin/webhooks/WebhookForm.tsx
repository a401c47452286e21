import { useId, useState, type FormEvent } from 'react';
import { ALERT_CHANGES, SEVERITIES } from '@cityops/contracts';
import { createWebhook, updateWebhook, type WebhookSecret, type WebhookView } from '../../api/webhooks-api';
import { FieldMessages, FormProblem } from '../../forms/FormMessages';
import { PanelHead } from '../../forms/PanelHead';
import { useFormErrors } from '../../forms/useFormErrors';
import { useI18n } from '../../i18n';
import { EMPTY_WEBHOOK_FORM, webhookDefinition, webhookFormValues, type WebhookFormValues } from './webhook-form';
import { changeLabel, severityLabel } from './webhook-labels';

/** A case filed from an alert goes to the alert's history and the live channel, never to webhooks. */
const WEBHOOK_CHANGES = ALERT_CHANGES.filter((change) => change !== 'case_filed');

const FIELDS = ['name', 'url', 'filter', 'enabled'] as const;

function toggled<T extends string>(list: T[], value: T, on: boolean): T[] {
  return on ? [...list, value] : list.filter((v) => v !== value);
}

/** Create a webhook (the answer holds its secret, shown once) or edit one (everything but the secret). */
export function WebhookForm({
  webhook,
  onCreated,
  onSaved,
  onCancel,
}: {
  webhook: WebhookView | null;
  onCreated: (secret: WebhookSecret) => void;
  onSaved: (webhook: WebhookView) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [values, setValues] = useState<WebhookFormValues>(() => (webhook ? webhookFormValues(webhook) : EMPTY_WEBHOOK_FORM));
  const [busy, setBusy] = useState(false);
  const { errors, formRef, refuse, fail, clear } = useFormErrors(FIELDS);
  const titleId = useId();
  const set = <K extends keyof WebhookFormValues>(key: K, value: WebhookFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!values.name.trim() || !values.url.trim()) {
      refuse((tr) => ({
        ...(values.name.trim() ? {} : { name: [tr('srvRequired')] }),
        ...(values.url.trim() ? {} : { url: [tr('srvRequired')] }),
      }));
      return;
    }
    setBusy(true);
    clear();
    try {
      const definition = webhookDefinition(values);
      if (webhook) onSaved(await updateWebhook(webhook.id, definition));
      else onCreated(await createWebhook(definition));
    } catch (failure) {
      fail(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={formRef}
      className="admin-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={titleId}
      data-testid="webhook-form"
    >
      <PanelHead titleId={titleId} title={t(webhook ? 'webhookEditTitle' : 'webhookCreateTitle')} onClose={onCancel} />
      <label className="form-field">
        <span className="form-label">{t('webhookName')}</span>
        <input
          name="name"
          className="text-input"
          autoComplete="off"
          value={values.name}
          placeholder={t('webhookNamePlaceholder')}
          aria-invalid={errors.byField.name?.length ? true : undefined}
          onChange={(e) => set('name', e.target.value)}
        />
        <FieldMessages messages={errors.byField.name} />
      </label>
      <label className="form-field">
        <span className="form-label">{t('webhookUrl')}</span>
        <input
          name="url"
          type="url"
          className="text-input"
          autoComplete="off"
          value={values.url}
          placeholder="https://"
          aria-invalid={errors.byField.url?.length ? true : undefined}
          onChange={(e) => set('url', e.target.value)}
        />
        <span className="form-hint">{t('webhookUrlHint')}</span>
        <FieldMessages messages={errors.byField.url} />
      </label>
      <fieldset className="form-field" aria-invalid={errors.byField.filter?.length ? true : undefined}>
        <legend className="form-label">{t('webhookLevels')}</legend>
        <div className="role-choices">
          {SEVERITIES.map((level) => (
            <label key={level} className="role-choice">
              <input
                type="checkbox"
                name="levels"
                value={level}
                checked={values.levels.includes(level)}
                onChange={(e) => set('levels', toggled(values.levels, level, e.target.checked))}
              />
              {severityLabel(t, level)}
            </label>
          ))}
        </div>
        <span className="form-hint">{t('webhookChoiceHint')}</span>
      </fieldset>
      <fieldset className="form-field">
        <legend className="form-label">{t('webhookChanges')}</legend>
        <div className="role-choices">
          {WEBHOOK_CHANGES.map((change) => (
            <label key={change} className="role-choice">
              <input
                type="checkbox"
                name="changes"
                value={change}
                checked={values.changes.includes(change)}
                onChange={(e) => set('changes', toggled(values.changes, change, e.target.checked))}
              />
              <span className="role-choice-text">
                <span className="role-choice-name">{changeLabel(t, change)}</span>
                <code className="role-choice-hint">{change}</code>
              </span>
            </label>
          ))}
        </div>
        <span className="form-hint">{t('webhookChoiceHint')}</span>
      </fieldset>
      <label className="form-field">
        <span className="form-label">{t('webhookThemes')}</span>
        <input
          name="themes"
          className="text-input"
          autoComplete="off"
          value={values.themes}
          onChange={(e) => set('themes', e.target.value)}
        />
        <span className="form-hint">{t('webhookThemesHint')}</span>
      </label>
      <label className="form-field">
        <span className="form-label">{t('webhookIndicators')}</span>
        <input
          name="indicatorKeys"
          className="text-input"
          autoComplete="off"
          value={values.indicatorKeys}
          onChange={(e) => set('indicatorKeys', e.target.value)}
        />
        <span className="form-hint">{t('webhookIndicatorsHint')}</span>
      </label>
      <FieldMessages messages={errors.byField.filter} />
      <label className="role-choice">
        <input type="checkbox" name="enabled" checked={values.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        {t('webhookEnabled')}
      </label>
      <FormProblem errors={errors} />
      <div className="form-actions">
        <button type="submit" className="primary-button primary-button--small" disabled={busy} data-testid="webhook-form-submit">
          {busy ? t('saving') : t(webhook ? 'webhookSave' : 'webhookCreate')}
        </button>
        <button type="button" className="quiet-button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
