import { useId, useState, type FormEvent } from 'react';
import type { UserView } from '@cityops/contracts';
import { resetUserPassword } from '../../api/admin-api';
import { MIN_PASSWORD_LENGTH } from '../../auth/identity-rules';
import { FieldMessages, FormProblem } from '../../forms/FormMessages';
import { PanelHead } from '../../forms/PanelHead';
import { useFormErrors } from '../../forms/useFormErrors';
import { useI18n } from '../../i18n';
import { generatePassword } from './user-form';

const FIELDS = ['password'] as const;

/** Sets a temporary password for someone who lost theirs: their sessions end, and they choose a new one at the next sign-in. */
export function ResetPasswordForm({
  user,
  onDone,
  onCancel,
}: {
  user: UserView;
  onDone: (user: UserView, password: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const { errors, formRef, refuse, fail, clear } = useFormErrors(FIELDS);
  const titleId = useId();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if ([...password].length < MIN_PASSWORD_LENGTH) {
      refuse((tr) => ({ password: [tr('srvMinChars', { n: MIN_PASSWORD_LENGTH })] }));
      return;
    }
    setBusy(true);
    clear();
    try {
      onDone(await resetUserPassword(user.id, { password }), password);
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
      data-testid="reset-password-form"
    >
      <PanelHead titleId={titleId} title={t('resetPasswordTitle', { name: user.displayName })} onClose={onCancel} />
      <p className="form-hint">{t('resetPasswordHint')}</p>
      <div className="form-field">
        <label className="form-label" htmlFor={`${titleId}-password`}>
          {t('temporaryPassword')}
        </label>
        <span className="copy-row">
          <input
            id={`${titleId}-password`}
            name="password"
            className="text-input"
            autoComplete="new-password"
            spellCheck={false}
            value={password}
            aria-invalid={errors.byField.password?.length ? true : undefined}
            onChange={(e) => setPassword(e.target.value)}
          />
          <button type="button" className="quiet-button" onClick={() => setPassword(generatePassword())}>
            {t('generatePassword')}
          </button>
        </span>
        <FieldMessages messages={errors.byField.password} />
      </div>
      <FormProblem errors={errors} />
      <div className="form-actions">
        <button type="submit" className="primary-button primary-button--small" disabled={busy} data-testid="reset-password-submit">
          {busy ? t('saving') : t('resetPassword')}
        </button>
        <button type="button" className="quiet-button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
