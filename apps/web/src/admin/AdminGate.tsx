import { useEffect } from 'react';
import type { SessionUser } from '@cityops/contracts';
import { logout, startSession, useSession } from '../auth/session';
import { SignInForm } from '../auth/SignInForm';
import { useI18n } from '../i18n';
import { LangSwitch } from '../LangSwitch';
import { ProblemMessage } from '../ProblemMessage';
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

  if (session.status === 'signed-in') return showsAdminPage ? <AdminPage user={session.user} /> : <ForAdminsOnly user={session.user} />;
  if (session.status === 'signed-out') return <SignInForm initialError={session.error} hint={t('adminSignInHint')} />;
  return (
    <main className="simple-page" data-testid="admin-connecting">
      <p className="dim">{t('loading')}</p>
      <ProblemMessage error={session.error} />
    </main>
  );
}

/**
 * What someone without the admin role sees at `/admin`: a polite word, no admin links. A display
 * device is told it is a wall screen and sent back to the wall.
 */
function ForAdminsOnly({ user }: { user: SessionUser | null }) {
  const { t } = useI18n();
  const display = user?.kind === 'display';
  return (
    <main className="simple-page" data-testid="admin-forbidden" data-kind={user?.kind ?? 'none'}>
      <header className="simple-header">
        <h1>{t('adminOnlyTitle')}</h1>
        <LangSwitch />
      </header>
      <p>{display ? t('adminOnlyDisplay') : t('adminOnlyBody', { name: user?.displayName ?? '' })}</p>
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
