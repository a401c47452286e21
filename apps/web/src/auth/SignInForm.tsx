import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n';
import { LangSwitch } from '../LangSwitch';
import { ProblemMessage } from '../ProblemMessage';
import { login } from './session';

/**
 * Plain username/password form, shown when a page has no session (and the wall no kiosk token).
 * `hint` says who the page is for; the wall's kiosk hint by default.
 */
export function SignInForm({ initialError, hint }: { initialError: ApiError | null; hint?: string }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError({ type: 'about:blank', title: t('errorGeneric'), status: 0 }));
      setBusy(false);
    }
  };

  return (
    <div className="sign-in-screen">
      <form className="sign-in" onSubmit={(e) => void submit(e)} data-testid="sign-in-form">
        <div className="sign-in-top">
          <h1 className="sign-in-app">{t('appTitle')}</h1>
          <LangSwitch />
        </div>
        <h2 className="sign-in-title">{t('signInTitle')}</h2>
        <p className="sign-in-hint">{hint ?? t('signInHint')}</p>
        <label className="field">
          <span>{t('username')}</span>
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <ProblemMessage error={error ?? initialError} />
        <button type="submit" className="primary-button" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
    </div>
  );
}
