import type { UserView } from '@cityops/contracts';
import { signOut } from '../auth/session';
import { useI18n } from '../i18n';

export function CatalogHeader({ user }: { user: UserView | null }) {
  const { t, lang, setLang } = useI18n();
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
        <button
          type="button"
          className="lang-switch"
          data-testid="lang-switch"
          aria-label={t('langSwitchLabel')}
          onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
        >
          {t('langSwitch')}
        </button>
      </div>
    </header>
  );
}
