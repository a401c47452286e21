import { useState, type FormEvent } from 'react';
import type { SessionUser } from '@cityops/contracts';
import { FieldMessages, FormProblem } from '../forms/FormMessages';
import { useFormErrors } from '../forms/useFormErrors';
import { useI18n, type Translate } from '../i18n';
import { LangSwitch } from '../LangSwitch';
import { MIN_PASSWORD_LENGTH } from './identity-rules';
import { changePassword, logout } from './session';

const FIELDS = ['currentPassword', 'newPassword', 'repeatPassword'] as const;
type Field = (typeof FIELDS)[number];

/** What can be told before sending: the length, the two new entries the same, the new one not the old. */
export function checkNewPassword(current: string, next: string, repeat: string, t: Translate): Partial<Record<Field, string[]>> {
  const problems: Partial<Record<Field, string[]>> = {};
  if (!current) problems.currentPassword = [t('srvRequired')];
  if ([...next].length < MIN_PASSWORD_LENGTH) problems.newPassword = [t('srvMinChars', { n: MIN_PASSWORD_LENGTH })];
  else if (next === current) problems.newPassword = [t('srvSamePassword')];
  if (repeat !== next) problems.repeatPassword = [t('passwordsDiffer')];
  return problems;
}

/**
 * Shown instead of every page while the signed-in person must change their password (an admin
 * set it): the current one, the new one twice, the server's reasons when it refuses (too short, a
 * common password, the user name in it). Then the page they opened carries on.
 */
export function ChangePasswordForm({ user }: { user: SessionUser }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const { errors, formRef, refuse, fail, clear } = useFormErrors(FIELDS);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (Object.keys(checkNewPassword(current, next, repeat, t)).length) {
      refuse((tr) => checkNewPassword(current, next, repeat, tr));
      return;
    }
    setBusy(true);
    clear();
    try {
      await changePassword(current, next);
    } catch (failure) {
      fail(failure);
      setBusy(false);
    }
  };

  const invalid = (field: Field) => (errors.byField[field]?.length ? true : undefined);
  return (
    <div className="sign-in-screen">
      <form ref={formRef} className="sign-in" onSubmit={(e) => void submit(e)} noValidate data-testid="change-password-form">
        <div className="sign-in-top">
          <h1 className="sign-in-app">{t('appTitle')}</h1>
          <LangSwitch />
        </div>
        <h2 className="sign-in-title">{t('changePasswordTitle')}</h2>
        <p className="sign-in-hint">{t('changePasswordHint', { name: user.displayName })}</p>
        <p className="sign-in-hint">{t('passwordRules', { n: MIN_PASSWORD_LENGTH })}</p>
        {/* Lets a password manager file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={user.username} readOnly hidden />
        <label className="field">
          <span>{t('currentPassword')}</span>
          <input
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            value={current}
            aria-invalid={invalid('currentPassword')}
            onChange={(e) => setCurrent(e.target.value)}
          />
          <FieldMessages messages={errors.byField.currentPassword} />
        </label>
        <label className="field">
          <span>{t('newPassword')}</span>
          <input
            name="newPassword"
            type="password"
            autoComplete="new-password"
            value={next}
            aria-invalid={invalid('newPassword')}
            onChange={(e) => setNext(e.target.value)}
          />
          <FieldMessages messages={errors.byField.newPassword} />
        </label>
        <label className="field">
          <span>{t('repeatPassword')}</span>
          <input
            name="repeatPassword"
            type="password"
            autoComplete="new-password"
            value={repeat}
            aria-invalid={invalid('repeatPassword')}
            onChange={(e) => setRepeat(e.target.value)}
          />
          <FieldMessages messages={errors.byField.repeatPassword} />
        </label>
        <FormProblem errors={errors} />
        <button type="submit" className="primary-button" disabled={busy} data-testid="change-password-submit">
          {busy ? t('saving') : t('changePasswordSubmit')}
        </button>
        <button type="button" className="sign-in-secondary" onClick={() => void logout()}>
          {t('signOut')}
        </button>
      </form>
    </div>
  );
}
