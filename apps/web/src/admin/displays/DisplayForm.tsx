import { useId, useState, type FormEvent } from 'react';
import type { DisplaySecret, DisplayView } from '@cityops/contracts';
import { createDisplay, updateDisplay } from '../../api/admin-api';
import { FieldMessages, FormProblem } from '../../forms/FormMessages';
import { PanelHead } from '../../forms/PanelHead';
import { useFormErrors } from '../../forms/useFormErrors';
import { useI18n } from '../../i18n';
import { ScopePicker } from '../scope/ScopePicker';
import {
  checkDisplayForm,
  DISPLAY_FIELDS,
  displayChange,
  displayFormOf,
  EMPTY_DISPLAY_FORM,
  newDisplayRequest,
  type DisplayField,
  type DisplayFormState,
} from './display-form';

export interface DisplayFormProps {
  display: DisplayView | null;
  /** A new display comes with its token (shown once); an edited one without. */
  onSaved: (saved: { display: DisplayView; secret: DisplaySecret | null }) => void;
  onCancel: () => void;
}

/** Registers a wall screen (name, description, scope), or changes one. */
export function DisplayForm({ display, onSaved, onCancel }: DisplayFormProps) {
  const { t } = useI18n();
  const [form, setForm] = useState<DisplayFormState>(() => (display ? displayFormOf(display) : EMPTY_DISPLAY_FORM));
  const { errors, formRef, refuse, fail, clear } = useFormErrors(DISPLAY_FIELDS);
  const [busy, setBusy] = useState(false);
  const [unchanged, setUnchanged] = useState(false);
  const titleId = useId();
  const scopeLabelId = useId();
  const update = (patch: Partial<DisplayFormState>) => {
    setForm((f) => ({ ...f, ...patch }));
    setUnchanged(false);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (Object.keys(checkDisplayForm(form, t)).length) {
      refuse((tr) => checkDisplayForm(form, tr));
      return;
    }
    clear();
    const change = display ? displayChange(display, form) : null;
    if (display && !change) {
      setUnchanged(true);
      return;
    }
    setBusy(true);
    try {
      if (display && change) onSaved({ display: await updateDisplay(display.id, change), secret: null });
      else {
        const secret = await createDisplay(newDisplayRequest(form));
        onSaved({ display: secret.display, secret });
      }
    } catch (failure) {
      fail(failure, (tr) => ({
        byType: { 'urn:cityops:problem:display_name_taken': { field: 'name', message: tr('displayNameTaken') } },
        generalByType: { 'urn:cityops:problem:credential_revoked': tr('credentialRevokedRefusal') },
      }));
    } finally {
      setBusy(false);
    }
  };

  const invalid = (field: DisplayField) => (errors.byField[field]?.length ? true : undefined);
  return (
    <form
      ref={formRef}
      className="admin-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={titleId}
      data-testid="display-form"
    >
      <PanelHead
        titleId={titleId}
        title={display ? t('displayEditTitle', { name: display.name }) : t('displayCreateTitle')}
        onClose={onCancel}
      />
      <label className="form-field">
        <span className="form-label">{t('deviceName')}</span>
        <input
          name="name"
          className="text-input"
          autoComplete="off"
          value={form.name}
          placeholder={t('displayNamePlaceholder')}
          aria-invalid={invalid('name')}
          onChange={(e) => update({ name: e.target.value })}
        />
        <FieldMessages messages={errors.byField.name} />
      </label>
      <label className="form-field">
        <span className="form-label">{t('fieldDescription')}</span>
        <textarea
          name="description"
          className="text-input"
          rows={2}
          value={form.description}
          placeholder={t('displayDescriptionPlaceholder')}
          aria-invalid={invalid('description')}
          onChange={(e) => update({ description: e.target.value })}
        />
        <FieldMessages messages={errors.byField.description} />
      </label>
      <div className="form-field">
        <span className="form-label" id={scopeLabelId}>
          {t('scope')}
        </span>
        <span className="form-hint">{t('displayScopeHint')}</span>
        <ScopePicker value={form.scopes} onChange={(scopes) => update({ scopes })} labelledBy={scopeLabelId} invalid={invalid('scopes')} />
        <FieldMessages messages={errors.byField.scopes} />
      </div>
      <FormProblem errors={errors} />
      {unchanged ? (
        <p className="note" role="status">
          {t('nothingChanged')}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="primary-button primary-button--small" disabled={busy} data-testid="display-form-submit">
          {busy ? t('saving') : display ? t('save') : t('displayRegister')}
        </button>
        <button type="button" className="quiet-button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
