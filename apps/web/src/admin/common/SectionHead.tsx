import { useI18n } from '../../i18n';
import type { Notice } from './notice';

export interface SectionHeadProps {
  /** The heading's id, named by the section's `aria-labelledby`. */
  titleId: string;
  title: string;
  /** A count under the title, e.g. "12 indicators"; null while loading. */
  subtitle: string | null;
  /** Shown as reload and create buttons; null hides both (the section's API is not available here). */
  actions: {
    reload: () => void;
    loading: boolean;
    refreshTestId: string;
    createLabel: string;
    onCreate: () => void;
    createTestId: string;
  } | null;
}

/** An admin list's heading line: title, count, reload and create. */
export function SectionHead({ titleId, title, subtitle, actions }: SectionHeadProps) {
  const { t } = useI18n();
  return (
    <div className="section-head">
      <h2 id={titleId} className="section-title">
        {title}
      </h2>
      {subtitle !== null ? <span className="section-subtitle">{subtitle}</span> : null}
      {actions ? (
        <div className="section-actions">
          <button
            type="button"
            className="quiet-button"
            onClick={actions.reload}
            disabled={actions.loading}
            data-testid={actions.refreshTestId}
          >
            {t('refresh')}
          </button>
          <button type="button" className="quiet-button quiet-button--accent" onClick={actions.onCreate} data-testid={actions.createTestId}>
            {actions.createLabel}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** The confirmation of the last action, in the page's current language. */
export function AdminNotice({ notice }: { notice: Notice | null }) {
  const { t } = useI18n();
  return notice ? (
    <p className="notice" role="status" data-testid="admin-notice">
      {t(notice.key, notice.params)}
    </p>
  ) : null;
}
