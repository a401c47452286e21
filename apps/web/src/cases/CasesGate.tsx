import { useEffect } from 'react';
import { NotForYouPage, SessionConnecting, type RefusalWords } from '../auth/GatePages';
import { startSession, useSession } from '../auth/session';
import { SignInForm } from '../auth/SignInForm';
import { useI18n } from '../i18n';
import { canReadCases } from './case-access';
import { CasesPage } from './CasesPage';

/** The session (or the sign-in form), then the cases for those who work or read them. */
export function CasesGate() {
  const session = useSession();
  const { t } = useI18n();

  useEffect(() => {
    startSession();
  }, []);
  useEffect(() => {
    document.title = `${t('casesTitle')} · ${t('appTitle')}`;
  }, [t]);

  if (session.status === 'signed-in') {
    return canReadCases(session.user) ? (
      <CasesPage user={session.user} />
    ) : (
      <NotForYouPage user={session.user} testId="cases-forbidden" words={REFUSAL} />
    );
  }
  if (session.status === 'signed-out') return <SignInForm initialError={session.error} hint={t('casesSignInHint')} />;
  return <SessionConnecting testId="cases-connecting" error={session.error} />;
}

const REFUSAL: RefusalWords = { title: 'casesOnlyTitle', body: 'casesOnlyBody', display: 'casesOnlyDisplay' };
