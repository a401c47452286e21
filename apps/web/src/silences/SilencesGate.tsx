import { useEffect } from 'react';
import type { SessionUser } from '@cityops/contracts';
import { canSilence, logout, startSession, useSession } from '../auth/session';
import { SignInForm } from '../auth/SignInForm';
import { useI18n } from '../i18n';
import { LangSwitch } from '../LangSwitch';
import { ProblemMessage } from '../ProblemMessage';
import { SilencesPage } from './SilencesPage';

/**
 * The session (or the sign-in form), then the silences for those who may silence (the server
 * decides; this only spares someone a page whose every request would be refused).
 */
export function SilencesGate() {
  const session = useSession();
  const { t } = useI18n();

  useEffect(() => {
    startSession();
  }, []);
  useEffect(() => {
    document.title = `${t('silencesTitle')} · ${t('appTitle')}`;
  }, [t]);

  if (session.status === 'signed-in') {
    return canSilence(session.user) ? <SilencesPage user={session.user} /> : <NotForYou user={session.user} />;
  }
  if (session.status === 'signed-out') return <SignInForm initialError={session.error} hint={t('silencesSignInHint')} />;
  return (
    <main className="simple-page" data-testid="silences-connecting">
      <p className="dim">{t('loading')}</p>
      <ProblemMessage error={session.error} />
    </main>
  );
}

/** A display device, a viewer or an analyst: a polite word and the way back. */
function NotForYou({ user }: { user: SessionUser | null }) {
  const { t } = useI18n();
  const display = user?.kind === 'display';
  return (
    <main className="simple-page" data-testid="silences-forbidden" data-kind={user?.kind ?? 'none'}>
      <header className="simple-header">
        <h1>{t('silencesOnlyTitle')}</h1>
        <LangSwitch />
      </header>
      <p>{display ? t('silencesOnlyDisplay') : t('silencesOnlyBody', { name: user?.displayName ?? '' })}</p>
      <p className="admin-only-links">
        {display ? <a href="/wall">{t('homeWall')}</a> : <a href="/">{t('backHome')}</a>}
        {display ? null : (
          <button type="button" className="quiet-button" onClick={() => void logout()}>
            {t('adminOnlySwitchAccount')}
          </button>
        )}
      </p>
    </main>
  );
}
