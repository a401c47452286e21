import { useEffect } from 'react';
import { NotForYouPage, SessionConnecting, type RefusalWords } from '../auth/GatePages';
import { startSession, useSession } from '../auth/session';
import { SignInForm } from '../auth/SignInForm';
import { useI18n } from '../i18n';
import { isAdmin } from './admin-sections';
import { AdminPage } from './AdminPage';

/** The session (or the sign-in form), then the admin pages for admins only. */
export function AdminGate() {
  const session = useSession();
  const { t } = useI18n();

  useEffect(() => {
    startSession();
  }, []);
  const showsAdminPage = session.status === 'signed-in' && isAdmin(session.user);
  useEffect(() => {
    // The admin page names its section in the title itself.
    if (!showsAdminPage) document.title = `${t('adminTitle')} · ${t('appTitle')}`;
  }, [showsAdminPage, t]);

  if (session.status === 'signed-in')
    return showsAdminPage ? (
      <AdminPage user={session.user} />
    ) : (
      <NotForYouPage user={session.user} testId="admin-forbidden" words={REFUSAL} />
    );
  if (session.status === 'signed-out') return <SignInForm initialError={session.error} hint={t('adminSignInHint')} />;
  return <SessionConnecting testId="admin-connecting" error={session.error} />;
}

/** Someone without the admin role at `/admin`: a polite word, no admin links; a display device is sent back to the wall. */
const REFUSAL: RefusalWords = { title: 'adminOnlyTitle', body: 'adminOnlyBody', display: 'adminOnlyDisplay' };
