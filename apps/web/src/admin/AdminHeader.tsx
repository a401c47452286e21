import type { SessionUser } from '@cityops/contracts';
import { logout } from '../auth/session';
import { useI18n } from '../i18n';
import { LangSwitch } from '../LangSwitch';

export function AdminHeader({ user }: { user: SessionUser | null }) {
  const { t } = useI18n();
  return (
    <header className="catalog-header admin-header">
      <div className="catalog-titles">
        <a href="/" className="catalog-app">
          {t('appTitle')}
        </a>
        <h1 className="catalog-title">{t('adminTitle')}</h1>
        <span className="catalog-subtitle">{t('adminSubtitle')}</span>
      </div>
      <div className="catalog-header-side">
        <a href="/catalog" className="header-link">
          {t('catalogTitle')}
        </a>
        {user ? (
          <span className="catalog-user" data-testid="signed-in-user">
            {t('signedInAs', { name: user.displayName })}
          </span>
        ) : null}
        <button type="button" className="quiet-button" onClick={() => void logout()} data-testid="sign-out">
          {t('signOut')}
        </button>
        <LangSwitch />
      </div>
    </header>
  );
}
