import { useEffect } from 'react';
import { NotForYouPage, SessionConnecting, type RefusalWords } from '../auth/GatePages';
import { startSession, useSession } from '../auth/session';
import { SignInForm } from '../auth/SignInForm';
import { useI18n } from '../i18n';
import { isGridWorker } from './grid-worker-role';
import { GridWorkerPage } from './GridWorkerPage';

/** The session (or the sign-in form), then the phone page for grid workers. */
export function GridWorkerGate() {
  const session = useSession();
  const { t } = useI18n();

  useEffect(() => {
    startSession();
  }, []);
  useEffect(() => {
    document.title = `${t('mTitle')} · ${t('appTitle')}`;
  }, [t]);

  if (session.status === 'signed-in' && session.user) {
    return isGridWorker(session.user) ? (
      <GridWorkerPage user={session.user} />
    ) : (
      <NotForYouPage user={session.user} testId="m-forbidden" words={REFUSAL} />
    );
  }
  if (session.status === 'signed-out') return <SignInForm initialError={session.error} hint={t('mSignInHint')} />;
  return <SessionConnecting testId="m-connecting" error={session.error} />;
}

const REFUSAL: RefusalWords = { title: 'mOnlyTitle', body: 'mOnlyBody', display: 'mOnlyDisplay' };
