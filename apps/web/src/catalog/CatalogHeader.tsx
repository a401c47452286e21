import type { SessionUser } from '@cityops/contracts';
import { isAdmin } from '../admin/admin-sections';
import { logout } from '../auth/session';
import { useI18n } from '../i18n';
import { LangSwitch } from '../LangSwitch';

export function CatalogHeader({ user }: { user: SessionUser | null }) {
  const { t } = useI18n();
  return (
    <header className="catalog-header">
      <div className="catalog-titles">
        <a href="/" className="catalog-app">
          {t('appTitle')}
        </a>
        <h1 className="catalog-title">{t('catalogTitle')}</h1>
        <span className="catalog-subtitle">{t('catalogSubtitle')}</span>
      </div>
      <div className="catalog-header-side">
        {isAdmin(user) ? (
          <a href="/admin" className="header-link" data-testid="admin-link">
            {t('adminTitle')}
          </a>
        ) : null}
        {user ? <span className="catalog-user">{t('signedInAs', { name: user.displayName })}</span> : null}
        <button type="button" className="quiet-button" onClick={() => void logout()} data-testid="sign-out">
          {t('signOut')}
        </button>
        <LangSwitch />
      </div>
    </header>
  );
}
