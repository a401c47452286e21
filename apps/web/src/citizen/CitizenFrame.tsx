import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { LangSwitch } from '../LangSwitch';

/** The citizen pages' header (title, language switch) and column; a notice alone when there is nothing else to show. */
export function CitizenFrame({
  title,
  subtitle,
  notice,
  children,
}: {
  title: string;
  subtitle?: string;
  notice?: string;
  children?: ReactNode;
}) {
  const { lang } = useI18n();
  return (
    <div className="m-page c-page" data-lang={lang} data-testid="c-page">
      <header className="m-header">
        <div className="m-titles">
          <h1 className="m-title">{title}</h1>
          {subtitle ? <span className="m-user">{subtitle}</span> : null}
        </div>
        <div className="m-header-side">
          <LangSwitch />
        </div>
      </header>
      <main className="m-main">
        {notice ? (
          <p className="m-notice c-notice" role="alert" data-testid="c-notice">
            {notice}
          </p>
        ) : null}
        {children}
      </main>
    </div>
  );
}
