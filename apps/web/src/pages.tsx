import { useEffect } from 'react';
import { isAdmin } from './admin/admin-sections';
import { canSilence, startSession, useSession } from './auth/session';
import { canReadCases } from './cases/case-access';
import { useI18n } from './i18n';
import { LangSwitch } from './LangSwitch';
import { isGridWorker } from './mobile/grid-worker-role';

/** `/`: links to what is built (for grid workers their phone page first, the wall, the analyst's map, the data catalog, the cases for those who work or read them, the silences for those who may silence, and for admins the admin pages). */
export function HomePage() {
  const { t } = useI18n();
  const session = useSession();
  useEffect(() => {
    // Only to know whether to offer the cases, the silences and the admin pages; a visitor who is not signed in just sees the other links.
    startSession();
  }, []);
  return (
    <main className="simple-page">
      <header className="simple-header">
        <h1>{t('homeTitle')}</h1>
        <LangSwitch />
      </header>
      <ul className="home-links">
        {isGridWorker(session.user) ? (
          <li>
            <a href="/m" className="home-link" data-testid="home-grid-worker-link">
              <strong>{t('homeGridWorker')}</strong>
              <span>{t('homeGridWorkerHint')}</span>
            </a>
          </li>
        ) : null}
        <li>
          <a href="/wall" className="home-link">
            <strong>{t('homeWall')}</strong>
            <span>{t('homeWallHint')}</span>
          </a>
        </li>
        <li>
          <a href="/map" className="home-link" data-testid="home-map-link">
            <strong>{t('homeMap')}</strong>
            <span>{t('homeMapHint')}</span>
          </a>
        </li>
        <li>
          <a href="/catalog" className="home-link">
            <strong>{t('homeCatalog')}</strong>
            <span>{t('homeCatalogHint')}</span>
          </a>
        </li>
        {canReadCases(session.user) ? (
          <li>
            <a href="/cases" className="home-link" data-testid="home-cases-link">
              <strong>{t('homeCases')}</strong>
              <span>{t('homeCasesHint')}</span>
            </a>
          </li>
        ) : null}
        {canSilence(session.user) ? (
          <li>
            <a href="/silences" className="home-link" data-testid="home-silences-link">
              <strong>{t('silencesTitle')}</strong>
              <span>{t('homeSilencesHint')}</span>
            </a>
          </li>
        ) : null}
        {isAdmin(session.user) ? (
          <li>
            <a href="/admin" className="home-link" data-testid="home-admin-link">
              <strong>{t('adminTitle')}</strong>
              <span>{t('homeAdminHint')}</span>
            </a>
          </li>
        ) : null}
      </ul>
    </main>
  );
}

/** Routes that exist in the product plan but are not built yet. */
export function NotBuiltPage() {
  const { t } = useI18n();
  return (
    <main className="simple-page" data-testid="not-built">
      <header className="simple-header">
        <h1>{t('notBuiltTitle')}</h1>
        <LangSwitch />
      </header>
      <p>{t('notBuiltBody')}</p>
      <p>
        <a href="/">{t('backHome')}</a>
      </p>
    </main>
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <main className="simple-page" data-testid="not-found">
      <h1>{t('notFoundTitle')}</h1>
      <p>
        <a href="/">{t('backHome')}</a>
      </p>
    </main>
  );
}
