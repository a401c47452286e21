import { useI18n } from '../i18n';
import { LangSwitch } from '../LangSwitch';
import { FeedHealthWarning, type FeedIssue } from './FeedHealthWarning';
import { LiveClock } from './LiveClock';

export interface WallHeaderProps {
  /** The scene's title, or what the wall says instead (no scene, an unknown one). */
  eventTitle: string;
  /** A scene is on: the title gets the pulsing "live" dot. */
  live: boolean;
  demo: boolean;
  userName: string | null;
  /** Stale or failing feeds (empty when all are fine). */
  feedIssues: FeedIssue[];
}

export function WallHeader({ eventTitle, live, demo, userName, feedIssues }: WallHeaderProps) {
  const { t } = useI18n();
  return (
    <header className="wall-header">
      <div className="wall-titles">
        <h1 className="wall-title">{t('appTitle')}</h1>
        <p className={live ? 'wall-event' : 'wall-event wall-event--idle'} data-testid="wall-event" title={eventTitle}>
          {live ? <span className="live-dot" aria-hidden="true" /> : null}
          <span className="wall-event-text">{eventTitle}</span>
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
