import { useEffect, useState, type MouseEvent } from 'react';
import type { SessionUser } from '@cityops/contracts';
import { useI18n } from '../i18n';
import { ADMIN_SECTIONS, pathOfSection, SECTION_TITLES, sectionOfPath, type AdminSection } from './admin-sections';
import { AdminHeader } from './AdminHeader';
import { AuditSection } from './audit/AuditSection';
import { DisplaysSection } from './displays/DisplaysSection';
import { FeedKeysSection } from './feed-keys/FeedKeysSection';
import { IndicatorsSection } from './indicators/IndicatorsSection';
import { ScenesSection } from './scenes/ScenesSection';
import { AreaDirectoryProvider } from './scope/AreaDirectory';
import { UsersSection } from './users/UsersSection';
import { WebhooksSection } from './webhooks/WebhooksSection';

/** Follows the address: the side links push a new entry, and Back goes to the previous section. */
function useSectionPath(): [AdminSection | null, (section: AdminSection) => void] {
  const [section, setSection] = useState(() => sectionOfPath(window.location.pathname));
  useEffect(() => {
    const onPop = () => setSection(sectionOfPath(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = (next: AdminSection) => {
    const url = new URL(window.location.href);
    url.pathname = pathOfSection(next);
    window.history.pushState(null, '', `${url.pathname}${url.search}`);
    setSection(next);
  };
  return [section, go];
}

/** `/admin`: users, display devices, feed keys, vital-sign indicators, wall scenes and rotations, alert webhooks and the audit log, for admins. */
export function AdminPage({ user }: { user: SessionUser | null }) {
  const { t, lang } = useI18n();
  const [section, go] = useSectionPath();
  useEffect(() => {
    document.title = `${t(section ? SECTION_TITLES[section] : 'adminTitle')} · ${t('adminTitle')} · ${t('appTitle')}`;
  }, [section, t]);

  const follow = (event: MouseEvent<HTMLAnchorElement>, next: AdminSection) => {
    // A plain click stays in the page; a middle or modified click opens a tab as links do.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    go(next);
  };

  return (
    <AreaDirectoryProvider>
      <div className="catalog admin" data-lang={lang} data-section={section ?? 'unknown'}>
        <AdminHeader user={user} />
        <div className="admin-body">
          <nav className="admin-nav" aria-label={t('adminTitle')}>
            <ul>
              {ADMIN_SECTIONS.map((s) => (
                <li key={s}>
                  <a
                    href={pathOfSection(s)}
                    className={`admin-nav-link${s === section ? ' admin-nav-link--active' : ''}`}
                    aria-current={s === section ? 'page' : undefined}
                    onClick={(e) => follow(e, s)}
                    data-testid="admin-nav"
                    data-section={s}
                  >
                    {t(SECTION_TITLES[s])}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <main className="admin-main">
            {section === 'users' ? <UsersSection /> : null}
            {section === 'displays' ? <DisplaysSection /> : null}
            {section === 'feed-keys' ? <FeedKeysSection /> : null}
            {section === 'indicators' ? <IndicatorsSection /> : null}
            {section === 'scenes' ? <ScenesSection /> : null}
            {section === 'webhooks' ? <WebhooksSection /> : null}
            {section === 'audit' ? <AuditSection /> : null}
            {section === null ? (
              <section className="admin-panel" data-testid="admin-unknown-section">
                <p className="empty">{t('adminUnknownSection')}</p>
              </section>
            ) : null}
          </main>
        </div>
      </div>
    </AreaDirectoryProvider>
  );
}
