import type { SessionUser } from '@cityops/contracts';
import { logout } from './auth/session';
import { useI18n } from './i18n';
import { LangSwitch } from './LangSwitch';

/**
 * The header of the signed-in pages (admin, silences, cases): the app's name back home, the page's
 * title and subtitle, a link to the page beside it, who is signed in, sign-out and the language switch.
 */
export function PageHeader({
  title,
  subtitle,
  link,
  user,
  className,
}: {
  title: string;
  subtitle: string;
  link: { href: string; label: string };
  user: SessionUser | null;
  className?: string;
}) {
  const { t } = useI18n();
  return (
    <header className={className ? `catalog-header ${className}` : 'catalog-header'}>
      <div className="catalog-titles">
        <a href="/" className="catalog-app">
          {t('appTitle')}
        </a>
        <h1 className="catalog-title">{title}</h1>
        <span className="catalog-subtitle">{subtitle}</span>
      </div>
      <div className="catalog-header-side">
        <a href={link.href} className="header-link">
          {link.label}
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
