import { useEffect } from 'react';
import { NotForYouPage, SessionConnecting, type RefusalWords } from '../auth/GatePages';
import { canSilence, startSession, useSession } from '../auth/session';
import { SignInForm } from '../auth/SignInForm';
import { useI18n } from '../i18n';
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
    return canSilence(session.user) ? (
      <SilencesPage user={session.user} />
    ) : (
      <NotForYouPage user={session.user} testId="silences-forbidden" words={REFUSAL} />
    );
  }
  if (session.status === 'signed-out') return <SignInForm initialError={session.error} hint={t('silencesSignInHint')} />;
  return <SessionConnecting testId="silences-connecting" error={session.error} />;
}

const REFUSAL: RefusalWords = { title: 'silencesOnlyTitle', body: 'silencesOnlyBody', display: 'silencesOnlyDisplay' };
