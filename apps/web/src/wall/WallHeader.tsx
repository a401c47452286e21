import { useI18n } from '../i18n';
import { LangSwitch } from '../LangSwitch';
import { FeedHealthWarning, type FeedIssue } from './FeedHealthWarning';
import { LiveClock } from './LiveClock';

export interface WallHeaderProps {
  demo: boolean;
  userName: string | null;
  /** Stale or failing feeds (empty when all are fine). */
  feedIssues: FeedIssue[];
}

export function WallHeader({ demo, userName, feedIssues }: WallHeaderProps) {
  const { t } = useI18n();
  return (
    <header className="wall-header">
      <div className="wall-titles">
        <h1 className="wall-title">{t('appTitle')}</h1>
        <p className="wall-event">
          <span className="live-dot" aria-hidden="true" />
          {t('eventTitle')}
        </p>
      </div>
      <div className="wall-header-side">
        <FeedHealthWarning issues={feedIssues} />
        {demo ? (
          <span className="demo-badge" data-testid="demo-badge">
            {t('demoBadge')}
          </span>
        ) : null}
        {userName ? <span className="wall-user">{t('signedInAs', { name: userName })}</span> : null}
        <LangSwitch />
        <LiveClock />
      </div>
    </header>
  );
}
