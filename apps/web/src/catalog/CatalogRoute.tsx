import { useEffect } from 'react';
import { startSession, useSession } from '../auth/session';
import { SignInForm } from '../auth/SignInForm';
import { useI18n } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
import { CatalogPage } from './CatalogPage';
import './catalog.css';

/** `/catalog`: the session (or the sign-in form), then the data catalog. */
export function CatalogRoute() {
  const session = useSession();
  const { t } = useI18n();

  useEffect(() => {
    startSession();
  }, []);

  if (session.status === 'signed-in') return <CatalogPage user={session.user} />;
  if (session.status === 'signed-out') return <SignInForm initialError={session.error} hint={t('catalogSignInHint')} />;
  return (
    <main className="simple-page" data-testid="catalog-connecting">
      <p className="dim">{t('loading')}</p>
      <ProblemMessage error={session.error} />
    </main>
  );
}
