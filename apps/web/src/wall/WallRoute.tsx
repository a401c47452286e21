import { useEffect } from 'react';
import { startSession, useSession } from '../auth/session';
import { SignInForm } from '../auth/SignInForm';
import { useI18n } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';
import { useNow } from '../useNow';
import { WallPage } from './WallPage';
import '../map/layer-legend.css';
import './wall.css';

/** `/wall`: kiosk token exchange or sign-in, then the wall. */
export function WallRoute() {
  const session = useSession();
  const { t } = useI18n();

  useEffect(() => {
    startSession();
  }, []);

  // Viewport-scaled type and no scrolling, except on the sign-in form.
  const wallMode = session.status !== 'signed-out';
  useEffect(() => {
    document.documentElement.classList.toggle('wall-mode', wallMode);
    return () => document.documentElement.classList.remove('wall-mode');
  }, [wallMode]);

  if (session.status === 'signed-in') return <WallPage user={session.user} />;
  if (session.status === 'signed-out') return <SignInForm initialError={session.error} />;
  return (
    <div className="wall wall--loading" data-testid="wall-connecting">
      <h1 className="wall-title">{t('appTitle')}</h1>
      <p className="wall-loading-text">{session.kiosk || session.status === 'signing-in' ? t('kioskSigningIn') : t('loading')}</p>
      <ProblemMessage error={session.error} />
      {session.retryAt ? <RetryCountdown at={session.retryAt} /> : null}
    </div>
  );
}

function RetryCountdown({ at }: { at: number }) {
  const { t } = useI18n();
  const now = useNow(1000);
  const seconds = Math.max(0, Math.ceil((at - now) / 1000));
  return <p className="wall-retry">{t('retrying', { s: seconds })}</p>;
}
