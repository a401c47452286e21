import { useEffect } from 'react';
import { SessionConnecting } from '../auth/GatePages';
import { startSession, useSession } from '../auth/session';
import { SignInForm } from '../auth/SignInForm';
import { useI18n } from '../i18n';
import { AnalystMapPage } from './AnalystMapPage';
import '../map/layer-legend.css';
import './analyst-map.css';

/** `/map`: the session (or the sign-in form), then the analyst's map for anyone signed in; the server scopes what each sees. */
export function MapRoute() {
  const session = useSession();
  const { t } = useI18n();
  useEffect(() => {
    startSession();
  }, []);
  useEffect(() => {
    document.title = `${t('mapTitle')} · ${t('appTitle')}`;
  }, [t]);
  if (session.status === 'signed-in') return <AnalystMapPage />;
  if (session.status === 'signed-out') return <SignInForm initialError={session.error} hint={t('mapSignInHint')} />;
  return <SessionConnecting testId="map-connecting" error={session.error} />;
}
