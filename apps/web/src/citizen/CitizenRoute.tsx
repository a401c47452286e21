import { useEffect } from 'react';
import { useI18n } from '../i18n';
import '../mobile/grid-worker.css';
import './citizen.css';
import { FollowPage } from './FollowPage';
import { ReportPage } from './ReportPage';

/** `/report?grid=<code>` and `/r/<token>`: the citizen's pages, without an account (a chunk of their own). */
export function CitizenRoute({ path }: { path: string }) {
  const { t } = useI18n();
  const token = path.startsWith('/r/') ? decodeURIComponent(path.slice(3)) : null;
  useEffect(() => {
    document.title = `${t(token ? 'cFollowTitle' : 'cTitle')} · ${t('appTitle')}`;
  }, [t, token]);
  if (token !== null) return <FollowPage token={token} />;
  return <ReportPage gridCode={new URLSearchParams(window.location.search).get('grid')} />;
}
