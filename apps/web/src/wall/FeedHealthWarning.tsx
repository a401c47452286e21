import type { FeedHealthStatus } from '@cityops/contracts';
import { useI18n } from '../i18n';

export interface FeedIssue {
  key: string;
  name: string;
  status: FeedHealthStatus;
}

/** Names listed in the header; the rest are counted (all of them are in the tooltip). */
const NAMES_SHOWN = 2;

/**
 * Quiet note that some department feeds are late or failing: amber text in the header, no
 * motion, nothing over the map. The wall's figures may rest on those feeds, so the room should
 * know, but it is not an incident. Renders nothing when every feed is ok or silent.
 */
export function FeedHealthWarning({ issues }: { issues: FeedIssue[] }) {
  const { t } = useI18n();
  if (issues.length === 0) return null;
  const separator = t('listSeparator');
  const shown = issues.slice(0, NAMES_SHOWN).map((i) => i.name);
  const more = issues.length - shown.length;
  return (
    <div
      className="feed-health-warning"
      role="status"
      data-testid="feed-health-warning"
      data-count={issues.length}
      title={issues.map((i) => i.name).join(separator)}
    >
      <span className="feed-health-warning-label">{t('feedHealthWarning', { n: issues.length })}</span>
      <span className="feed-health-warning-names">
        {shown.join(separator)}
        {more > 0 ? ` ${t('feedHealthMore', { n: more })}` : ''}
      </span>
    </div>
  );
}
