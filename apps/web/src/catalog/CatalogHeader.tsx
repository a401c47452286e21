import type { SessionUser } from '@cityops/contracts';
import { signOut } from '../auth/session';
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
        {user ? <span className="catalog-user">{t('signedInAs', { name: user.displayName })}</span> : null}
        <button type="button" className="quiet-button" onClick={() => signOut()}>
          {t('signOut')}
        </button>
        <LangSwitch />
      </div>
    </header>
  );
}
